import { isUuid } from "../db/ids";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { TAuditChannel, TRequestMetadata } from "@/lib/audit/schemas";
import type { PrismaClient } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";

export type ArchiveDocumentOptions = {
  residentId: string;
  documentId: string;
  /** false takes the document out of the archive. */
  archived: boolean;
  channel: TAuditChannel;
  requestMetadata?: TRequestMetadata;
  now?: Date;
};

/** Archives (or un-archives) one of the resident's own documents; NOT_FOUND for anyone else's. */
export async function archiveDocument(prisma: PrismaClient, options: ArchiveDocumentOptions): Promise<void> {
  if (!isUuid(options.documentId)) throw new AppError("NOT_FOUND");
  const now = options.now ?? new Date();
  await prisma.$transaction(async (tx) => {
    const { count } = await tx.mailboxDocument.updateMany({
      where: { id: options.documentId, residentId: options.residentId },
      data: { archivedAt: options.archived ? now : null },
    });
    if (count === 0) throw new AppError("NOT_FOUND");
    await appendAuditEvent(tx, {
      type: "document.archived",
      actor: { type: "resident", id: options.residentId },
      subjectResidentId: options.residentId,
      purpose: options.archived ? "書類の保管" : "書類の保管解除",
      channel: options.channel,
      requestMetadata: options.requestMetadata,
      data: { documentId: options.documentId, archived: options.archived },
    });
  });
}
