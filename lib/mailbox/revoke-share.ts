import { isUuid } from "../db/ids";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { TAuditChannel, TRequestMetadata } from "@/lib/audit/schemas";
import type { PrismaClient } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";

export type RevokeShareOptions = {
  residentId: string;
  shareId: string;
  channel: TAuditChannel;
  requestMetadata?: TRequestMetadata;
  now?: Date;
};

/**
 * Revokes one of the resident's shares before it expires. The `document.share_revoked` event
 * names the receiving partner, so it shows in the resident's access log and the partner's.
 * Revoking twice is a no-op for the row but audited once only. NOT_FOUND for anyone else's share.
 */
export async function revokeShare(prisma: PrismaClient, options: RevokeShareOptions): Promise<void> {
  if (!isUuid(options.shareId)) throw new AppError("NOT_FOUND");
  const now = options.now ?? new Date();
  await prisma.$transaction(async (tx) => {
    const share = await tx.documentShare.findFirst({
      where: { id: options.shareId, residentId: options.residentId },
      select: { id: true, documentId: true, partnerId: true, revokedAt: true },
    });
    if (!share) throw new AppError("NOT_FOUND");
    if (share.revokedAt) return;
    await tx.documentShare.update({ where: { id: share.id }, data: { revokedAt: now } });
    await appendAuditEvent(tx, {
      type: "document.share_revoked",
      actor: { type: "resident", id: options.residentId },
      subjectResidentId: options.residentId,
      purpose: "書類の共有の取り消し",
      channel: options.channel,
      requestMetadata: options.requestMetadata,
      data: {
        shareId: share.id,
        documentId: share.documentId,
        ...(share.partnerId ? { partnerId: share.partnerId } : {}),
      },
    });
  });
}
