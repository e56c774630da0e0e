import { protectedAmong } from "@/lib/protection/protection";
import { appendAuditEvent } from "../../audit/append-audit-event";
import type { Prisma } from "../../db/client";
import type { TLatestFacts } from "../../jlis/client";
import type { TRevocationReason } from "../../jpki/revocation-reason";
import { createLog, errorFields } from "../../log/logger";
import { nowOf, type TPlatformContext } from "../platform-context";
import { enqueueWebhookEvent } from "../webhooks/enqueue-webhook-event";

/** A revocation the check cycle confirmed (OCSP, or the signed CRL when OCSP was unavailable). */
export type TConfirmedRevocation = {
  issuerFingerprint: string;
  serialNumber: string;
  reason: TRevocationReason;
  revokedAt: Date;
  source: "ocsp" | "crl";
};

export type TNotifyResult = { watches: number; events: string[]; noticeId?: string };

/**
 * Tells every partner watching a revoked signing certificate, and the resident (docs/jpki.md#change-verification):
 *
 * - J-LIS is asked once for the latest four facts; its answer also tells whether the resident
 *   consented (docs/jpki.md#linking-services, 最新の基本4情報). Only then does the event carry the successor link
 *   (証明書新旧紐付け) and, for watches registered with identity:facts, the latest facts.
 * - In one transaction per certificate: each ACTIVE watch flips to REVOKED (conditionally, so two
 *   overlapping cycles never notify twice), a `certificate.revoked` event is queued for its
 *   partner's endpoints of the watch's mode (outbox: see enqueue-webhook-event.ts), the resident gets a notice listing who was
 *   told (ResidentNotice — the mailbox has no system-notice delivery yet) and an audit entry.
 */
export async function notifyCertificateRevoked(
  ctx: TPlatformContext,
  revocation: TConfirmedRevocation,
): Promise<TNotifyResult> {
  const now = nowOf(ctx);
  const where = {
    issuerFingerprint: revocation.issuerFingerprint,
    serialNumber: revocation.serialNumber,
    status: "ACTIVE" as const,
  };
  const watches = await ctx.prisma.certificateWatch.findMany({
    where,
    select: {
      id: true,
      partnerId: true,
      verificationId: true,
      residentId: true,
      issuerDn: true,
      factsAllowed: true,
      credential: { select: { mode: true } },
    },
  });
  if (watches.length === 0) return { watches: 0, events: [] };

  // J-LIS extras are best effort: the revocation itself must reach the partner even when the
  // linking service is down, so a failure here sends the event without them.
  let latest: TLatestFacts = { consented: false };
  let successor: { successor: string | null; latest: string } | null = null;
  try {
    latest = await ctx.jlis.latestFactsOf(revocation.serialNumber);
    if (latest.consented) successor = await ctx.jlis.successorOf(revocation.serialNumber);
  } catch (err) {
    createLog("platform/change").warn(
      errorFields(err),
      "J-LIS linking service unavailable; revocation event sent without latest facts",
    );
    latest = { consented: false };
  }

  const partners = await ctx.prisma.partner.findMany({
    where: { id: { in: [...new Set(watches.map((w) => w.partnerId))] } },
    select: { id: true, name: true },
  });
  const nameOf = new Map(partners.map((p) => [p.id, p.name]));
  const residentId = watches.find((w) => w.residentId)?.residentId ?? undefined;
  // A protected person's latest four facts (a new address) never reach a partner (lib/protection).
  const withheld = await protectedAmong(ctx.prisma, [
    ...new Set(watches.flatMap((w) => (w.residentId ? [w.residentId] : []))),
  ]);

  return ctx.prisma.$transaction(async (tx) => {
    const events: string[] = [];
    const told: { partnerId: string; name: string; eventId: string }[] = [];
    for (const w of watches) {
      const flipped = await tx.certificateWatch.updateMany({
        where: { id: w.id, status: "ACTIVE" },
        data: {
          status: "REVOKED",
          revokedAt: revocation.revokedAt,
          revocationReason: revocation.reason,
          lastCheckedAt: now,
        },
      });
      if (flipped.count === 0) continue;
      const data: Prisma.InputJsonObject = {
        watchId: w.id,
        verificationId: w.verificationId,
        certificate: { issuer: w.issuerDn, serialNumber: revocation.serialNumber },
        reason: revocation.reason,
        revokedAt: revocation.revokedAt.toISOString(),
        source: revocation.source,
        // affiliationChanged = one of the four facts changed (a move, a new name, death; docs/jpki.md#revocation).
        factsMayHaveChanged: revocation.reason === "affiliationChanged",
        residentConsented: latest.consented,
        ...(latest.consented && successor?.successor
          ? { successor: { serialNumber: successor.successor, latestSerialNumber: successor.latest } }
          : {}),
        ...(latest.consented && w.factsAllowed && !(w.residentId && withheld.has(w.residentId))
          ? {
              latestFacts: {
                name: latest.facts.name,
                address: latest.facts.address,
                ...(latest.facts.dateOfBirth ? { dateOfBirth: latest.facts.dateOfBirth } : {}),
                gender: latest.facts.gender,
                deceased: latest.deceased,
                asOf: latest.asOf,
              },
            }
          : {}),
      };
      const { eventId } = await enqueueWebhookEvent(tx, {
        partnerId: w.partnerId,
        // The watch's side: its endpoints of the other mode never hear of it.
        mode: w.credential.mode,
        type: "certificate.revoked",
        data,
        now,
      });
      events.push(eventId);
      told.push({ partnerId: w.partnerId, name: nameOf.get(w.partnerId) ?? w.partnerId, eventId });
    }
    let noticeId: string | undefined;
    if (residentId && told.length > 0) {
      const names = told.map((t) => t.name);
      const notice = await tx.residentNotice.create({
        data: {
          residentId,
          kind: "certificate_change_shared",
          title: "署名用電子証明書の失効をお知らせした事業者",
          body:
            `あなたの署名用電子証明書（シリアル番号 ${revocation.serialNumber}）が失効したことを、` +
            `次の事業者にお知らせしました：${names.join("、")}。` +
            (latest.consented
              ? "同意に基づき、新しい証明書の紐付け情報もお知らせしました。"
              : "新しい証明書や最新の基本4情報はお知らせしていません。"),
          data: {
            serialNumber: revocation.serialNumber,
            reason: revocation.reason,
            revokedAt: revocation.revokedAt.toISOString(),
            partners: told.map((t) => ({ partnerId: t.partnerId, name: t.name })),
            consented: latest.consented,
          },
          createdAt: now,
        },
        select: { id: true },
      });
      noticeId = notice.id;
      await appendAuditEvent(tx, {
        type: "certificate.status_changed",
        actor: { type: "system", id: "platform.change-check" },
        subjectResidentId: residentId,
        purpose: "変更確認",
        channel: "system",
        data: {
          serialNumber: revocation.serialNumber,
          reason: revocation.reason,
          partnersTold: told.map((t) => t.partnerId),
          events: told.map((t) => t.eventId),
          sharedWithConsent: latest.consented,
        },
      });
    }
    return { watches: told.length, events, noticeId };
  });
}
