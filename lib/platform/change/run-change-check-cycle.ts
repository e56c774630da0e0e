import { AppError } from "../../errors/app-error";
import { checkWatchedSerials } from "../../jpki/crl";
import { crlUrlOf, ocspStatusBySerial } from "../jlis-queries";
import { nowOf, sha256Hex, type TPlatformContext } from "../platform-context";
import { notifyCertificateRevoked, type TConfirmedRevocation } from "./notify-certificate-revoked";

export type TChangeCheckResult = {
  runId: string;
  watched: number;
  crlEntries: number;
  crlHits: number;
  confirmed: number;
  /** Events queued (one per notified watch). */
  events: string[];
  failures: { issuerFingerprint: string; serialNumber?: string; code: string; message: string }[];
};

/**
 * One change-check cycle (変更確認, JPKI.md §4.3): per issuing CA with ACTIVE watches, download
 * its full CRL once and stream-scan it against the watched serials (lib/jpki/crl.ts: one pass,
 * no object per entry; the CRL's signature and freshness checked against the CA). Each hit is
 * confirmed by OCSP (RFC 6960; same-day status, JPKI.md §3); when OCSP is unavailable the
 * signed CRL entry stands. Confirmed revocations go to notifyCertificateRevoked. A CA whose CRL
 * fails is recorded in `failures` and retried next cycle; its watches are not marked checked.
 */
export async function runChangeCheckCycle(ctx: TPlatformContext): Promise<TChangeCheckResult> {
  const now = nowOf(ctx);
  const run = await ctx.prisma.changeCheckRun.create({ data: { startedAt: now }, select: { id: true } });
  const result: TChangeCheckResult = {
    runId: run.id,
    watched: 0,
    crlEntries: 0,
    crlHits: 0,
    confirmed: 0,
    events: [],
    failures: [],
  };
  const groups = await ctx.prisma.certificateWatch.groupBy({
    by: ["issuerFingerprint"],
    where: { status: "ACTIVE" },
    _count: { _all: true },
  });
  const issuers = new Map(ctx.signTrustAnchors.map((der) => [sha256Hex(der), der]));
  for (const g of groups) {
    const fp = g.issuerFingerprint;
    result.watched += g._count._all;
    const issuer = issuers.get(fp);
    const url = crlUrlOf(ctx.jlis, fp);
    if (!issuer || !url) {
      result.failures.push({ issuerFingerprint: fp, code: "CERT_UNTRUSTED", message: "issuer not among the roots" });
      continue;
    }
    // Serials only: 100,000 short strings; the scan keeps a hash of them, not the rows.
    const serials = await ctx.prisma.$queryRaw<{ serialNumber: string }[]>`
      SELECT "serialNumber" FROM "CertificateWatch" WHERE "issuerFingerprint" = ${fp} AND status = 'ACTIVE'`;
    let scan: Awaited<ReturnType<typeof checkWatchedSerials>>;
    try {
      scan = await checkWatchedSerials({
        crl: { url, fetch: ctx.jlis.fetch, timeoutMs: 120_000 },
        issuer,
        watched: new Set(serials.map((s) => s.serialNumber)),
        now,
      });
    } catch (err) {
      result.failures.push({
        issuerFingerprint: fp,
        code: err instanceof AppError ? err.code : "INTERNAL",
        message: err instanceof Error ? err.message : String(err),
      });
      continue;
    }
    result.crlEntries += scan.entries;
    result.crlHits += scan.revoked.size;
    const confirmed: TConfirmedRevocation[] = [];
    for (const [serial, entry] of scan.revoked) {
      const serialNumber = serial.replace(/^0+(?=.)/, "");
      try {
        const s = await ocspStatusBySerial(ctx.jlis, { serialHex: serialNumber, issuer, now });
        if (s.status === "revoked") {
          confirmed.push({
            issuerFingerprint: fp,
            serialNumber,
            reason: s.reason ?? entry.reason,
            revokedAt: s.revokedAt ?? entry.revokedAt,
            source: "ocsp",
          });
        } else {
          // The CRL and OCSP disagree: do not tell anyone on a contradiction; look again next cycle.
          result.failures.push({
            issuerFingerprint: fp,
            serialNumber,
            code: "CERT_STATUS_UNKNOWN",
            message: `on the CRL but OCSP says ${s.status}`,
          });
        }
      } catch (err) {
        if (!(err instanceof AppError && err.code === "CERT_STATUS_UNAVAILABLE")) throw err;
        confirmed.push({
          issuerFingerprint: fp,
          serialNumber,
          reason: entry.reason,
          revokedAt: entry.revokedAt,
          source: "crl",
        });
      }
    }
    for (const c of confirmed) {
      const n = await notifyCertificateRevoked(ctx, c);
      if (n.watches > 0) result.confirmed++;
      result.events.push(...n.events);
    }
    await ctx.prisma.certificateWatch.updateMany({
      where: { issuerFingerprint: fp, status: "ACTIVE" },
      data: { lastCheckedAt: now },
    });
  }
  await ctx.prisma.changeCheckRun.update({
    where: { id: run.id },
    data: {
      finishedAt: nowOf(ctx),
      watched: result.watched,
      crlEntries: result.crlEntries,
      crlHits: result.crlHits,
      confirmed: result.confirmed,
      failures: result.failures,
    },
  });
  return result;
}
