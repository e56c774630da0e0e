import { modeOfResident } from "../credential-mode/credential-mode";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { TAuditChannel, TRequestMetadata } from "@/lib/audit/schemas";
import type { PrismaClient } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { enqueueWebhookEvent } from "@/lib/platform/webhooks/enqueue-webhook-event";

export type UnlinkPartnerOptions = {
  /** The logged-in resident; only their own links can be revoked. */
  residentId: string;
  linkId: string;
  channel: TAuditChannel;
  requestMetadata?: TRequestMetadata;
  now?: Date;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The resident withdraws their consent that a partner may deliver to them (the reverse of
 * lib/mailbox linkPartner). From then on deliverDocument refuses the partner's reference with
 * RECIPIENT_NOT_LINKED; documents already delivered stay in the mailbox. The row is kept (with
 * revokedAt) so a later re-link reuses it and the history stays in the audit log as
 * `consent.revoked`. Revoking twice is a no-op audited once. NOT_FOUND for anyone else's link.
 * The partner's webhook endpoints get `link.ended` (its reference and when), in the same transaction.
 */
export async function unlinkPartner(prisma: PrismaClient, options: UnlinkPartnerOptions): Promise<void> {
  if (!UUID.test(options.linkId)) throw new AppError("NOT_FOUND");
  const now = options.now ?? new Date();
  await prisma.$transaction(async (tx) => {
    const link = await tx.partnerResidentLink.findFirst({
      where: { id: options.linkId, residentId: options.residentId },
      select: {
        id: true,
        partnerId: true,
        partnerRef: true,
        purposes: true,
        revokedAt: true,
        resident: { select: { sandbox: true } },
      },
    });
    if (!link) throw new AppError("NOT_FOUND");
    if (link.revokedAt) return;
    // Conditional update: two concurrent revocations write one audit event between them.
    const { count } = await tx.partnerResidentLink.updateMany({
      where: { id: link.id, revokedAt: null },
      data: { revokedAt: now },
    });
    if (count === 0) return;
    await appendAuditEvent(tx, {
      type: "consent.revoked",
      actor: { type: "resident", id: options.residentId },
      subjectResidentId: options.residentId,
      purpose: "書類の受け取りの連携の解除",
      channel: options.channel,
      requestMetadata: options.requestMetadata,
      data: { consent: "mailbox.delivery", partnerId: link.partnerId, linkId: link.id, purposes: link.purposes },
    });
    await enqueueWebhookEvent(tx, {
      partnerId: link.partnerId,
      mode: modeOfResident(link.resident),
      type: "link.ended",
      data: { partnerRef: link.partnerRef, endedAt: now.toISOString() },
      now,
    });
  });
}
