import { AppError } from "../../errors/app-error";
import { checkWatchedSerials, type TCrlEntry } from "../../jpki/crl";
import { sha256Hex } from "../../crypto/sha256";
import { nowOf, type TPlatformContext } from "../platform-context";
import { notifyCertificateRevoked, type TConfirmedRevocation } from "./notify-certificate-revoked";

/** OCSP confirmations and notifications in flight at once. */
const HIT_CONCURRENCY = 8;

export type TChangeCheckResult = {
  runId: string;
  watched: number;
  crlEntries: number;
  crlHits: number;
  confirmed: number;
  /** Events queued (one per notified watch). */
  events: string[];
  failures: { issuerFingerprint: string; serialNumber?: string; code: string; message: string }[];
  /** Milliseconds per phase, summed over issuers: reading watches, CRL download + scan, OCSP + notifications. */
  phasesMs: { load: number; scan: number; confirm: number };
};

/**
 * One change-check cycle (変更確認, docs/jpki.md#change-verification): per issuing CA with ACTIVE watches, download
 * its full CRL once and stream-scan it against the watched serials (lib/jpki/crl.ts: one pass,
 * no object per entry; the CRL's signature and freshness checked against the CA). Each hit is
 * confirmed by OCSP (RFC 6960; same-day status, docs/jpki.md#revocation); when OCSP is unavailable the
 * signed CRL entry stands. Confirmed revocations go to notifyCertificateRevoked. A CA whose CRL
 * fails is recorded in `failures` and retried next cycle. The cycle itself is the record of
 * when watches were checked (ChangeCheckRun): rewriting 100,000 rows per cycle for a timestamp
 * would cost more than the scan (see bench/platform-change-check.ts).
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
    phasesMs: { load: 0, scan: 0, confirm: 0 },
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
    const url = ctx.jlis.crlUrlOf(fp);
    if (!issuer || !url) {
      result.failures.push({ issuerFingerprint: fp, code: "CERT_UNTRUSTED", message: "issuer not among the roots" });
      continue;
    }
    let t = performance.now();
    // Serials only: 100,000 short strings; the scan keeps a hash of them, not the rows.
    const serials = await ctx.prisma.$queryRaw<{ serialNumber: string }[]>`
      SELECT "serialNumber" FROM "CertificateWatch" WHERE "issuerFingerprint" = ${fp} AND status = 'ACTIVE'`;
    result.phasesMs.load += performance.now() - t;
    t = performance.now();
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
    result.phasesMs.scan += performance.now() - t;
    t = performance.now();
    result.crlEntries += scan.entries;
    result.crlHits += scan.revoked.size;
    // Hits are few (a day's moves among the watched), but each costs an OCSP round trip and a
    // transaction: a small pool overlaps the waiting without flooding J-LIS.
    const hits = [...scan.revoked];
    const worker = async () => {
      for (let hit = hits.shift(); hit; hit = hits.shift()) {
        const confirmed = await confirmHit(ctx, result, { fp, issuer, now, serial: hit[0], entry: hit[1] });
        if (!confirmed) continue;
        const n = await notifyCertificateRevoked(ctx, confirmed);
        if (n.watches > 0) result.confirmed++;
        result.events.push(...n.events);
      }
    };
    await Promise.all(Array.from({ length: Math.min(HIT_CONCURRENCY, hits.length) }, worker));
    result.phasesMs.confirm += performance.now() - t;
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

/**
 * Confirms one CRL hit by OCSP. Revoked: confirmed with OCSP's reason and time. Good or unknown:
 * the sources contradict each other, so nobody is told and the next cycle looks again. OCSP
 * unavailable: the signed, current CRL entry stands on its own.
 */
async function confirmHit(
  ctx: TPlatformContext,
  result: TChangeCheckResult,
  o: { fp: string; issuer: Uint8Array; now: Date; serial: string; entry: TCrlEntry },
): Promise<TConfirmedRevocation | undefined> {
  // CRL hits are keyed by the one serial form (lib/jpki/serial.ts), the form CertificateWatch stores.
  const serialNumber = o.serial;
  try {
    const s = await ctx.jlis.ocspStatusBySerial({ serialHex: serialNumber, issuer: o.issuer, now: o.now });
    if (s.status === "revoked") {
      return {
        issuerFingerprint: o.fp,
        serialNumber,
        reason: s.reason ?? o.entry.reason,
        revokedAt: s.revokedAt ?? o.entry.revokedAt,
        source: "ocsp",
      };
    }
    result.failures.push({
      issuerFingerprint: o.fp,
      serialNumber,
      code: "CERT_STATUS_UNKNOWN",
      message: `on the CRL but OCSP says ${s.status}`,
    });
    return undefined;
  } catch (err) {
    if (!(err instanceof AppError && err.code === "CERT_STATUS_UNAVAILABLE")) throw err;
    return {
      issuerFingerprint: o.fp,
      serialNumber,
      reason: o.entry.reason,
      revokedAt: o.entry.revokedAt,
      source: "crl",
    };
  }
}
