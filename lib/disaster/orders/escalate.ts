import { appendAuditEvents } from "../../audit/append-audit-event";
import { EVACUATION_URGENT_KIND, EVACUATION_URGENT_PREFERENCE } from "../../notifications/evacuation-notifications";
import { disasterNow, type TDisasterContext } from "../context";

/** Orders at this level or above escalate unread notices. */
export const ESCALATION_MIN_LEVEL = 4;
const BATCH = 1000;

/** Receipts the ladder learns from elsewhere: the document opened in the mailbox, the e-mail sent. */
const SYNC_READ_SQL = `
UPDATE "EvacuationNotice" n SET "readAt" = d."readAt"
  FROM "MailboxDocument" d
 WHERE n."documentId" = d."id" AND n."readAt" IS NULL AND d."readAt" IS NOT NULL`;
const SYNC_SENT_SQL = `
UPDATE "EvacuationNotice" n SET "emailSentAt" = o."sentAt"
  FROM "NotificationOutbox" o
 WHERE o."documentId" = n."documentId" AND o."kind" = 'document' AND n."emailSentAt" IS NULL AND o."sentAt" IS NOT NULL`;

export type TEscalationResult = { escalated: number };

/**
 * One run of the delivery ladder's last step. First it copies the receipts other parts record:
 * a notice whose document was opened in the mailbox is read, one whose "document arrived" mail
 * went out has emailSentAt. Then every notice of an ACTIVE order at level ≥ 4 that is still
 * unread `escalateAfterMinutes` after its delivery is escalated: escalatedAt (the TV banner turns
 * urgent), an urgent e-mail queued (emailQueuedAt again), and `disaster.notice_escalated` in her
 * access log — all in one transaction per batch, each notice at most once per level (a new
 * level's delivery resets it). The job runs it every minute; tests call it with their clock.
 */
export async function escalateUnreadNotices(ctx: TDisasterContext): Promise<TEscalationResult> {
  const now = disasterNow(ctx);
  await ctx.prisma.$executeRawUnsafe(SYNC_READ_SQL);
  await ctx.prisma.$executeRawUnsafe(SYNC_SENT_SQL);
  let escalated = 0;
  for (;;) {
    const done = await ctx.prisma.$transaction(async (tx) => {
      const due = await tx.$queryRaw<
        { id: string; orderId: string; residentId: string; level: number; issuerName: string; issuerNameEn: string }[]
      >`
        SELECT n."id", n."orderId", n."residentId", n."level", p."name" AS "issuerName", p."nameEn" AS "issuerNameEn"
          FROM "EvacuationNotice" n
          JOIN "EvacuationOrder" o ON o."id" = n."orderId"
          JOIN "MailboxDocument" d ON d."id" = n."documentId"
          JOIN "Partner" p ON p."id" = d."issuerPartnerId"
         WHERE o."status" = 'ACTIVE' AND o."level" >= ${ESCALATION_MIN_LEVEL} AND n."level" >= ${ESCALATION_MIN_LEVEL}
           AND n."readAt" IS NULL AND n."escalatedAt" IS NULL
           AND n."deliveredAt" + make_interval(mins => o."escalateAfterMinutes") <= ${now}
         ORDER BY n."id" LIMIT ${BATCH}
         FOR UPDATE OF n SKIP LOCKED`;
      if (due.length === 0) return 0;
      await tx.evacuationNotice.updateMany({
        where: { id: { in: due.map((d) => d.id) } },
        data: { escalatedAt: now, emailQueuedAt: now },
      });
      await tx.notificationOutbox.createMany({
        data: due.map((d) => ({
          residentId: d.residentId,
          kind: EVACUATION_URGENT_KIND,
          documentType: EVACUATION_URGENT_PREFERENCE,
          issuerName: d.issuerName,
          issuerNameEn: d.issuerNameEn,
          nextAttemptAt: now,
          createdAt: now,
        })),
      });
      await appendAuditEvents(
        tx,
        due.map((d) => ({
          type: "disaster.notice_escalated" as const,
          actor: { type: "system" as const, id: "evacuation-escalation" },
          subjectResidentId: d.residentId,
          purpose: "避難情報の再通知",
          channel: "system" as const,
          data: { orderId: d.orderId, level: d.level },
        })),
      );
      return due.length;
    });
    escalated += done;
    if (done < BATCH) break;
  }
  return { escalated };
}
