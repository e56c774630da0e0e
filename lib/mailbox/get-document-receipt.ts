import { assertModeReachesResident, type TCredentialMode } from "@/lib/credential-mode/credential-mode";
import { isUuid } from "../db/ids";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { TRequestMetadata } from "@/lib/audit/schemas";
import type { PrismaClient } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { receiptSelect, toDocumentReceipt } from "./dto";
import type { TDocumentReceipt } from "./schemas";

export type GetDocumentReceiptOptions = {
  partnerId: string;
  documentId: string;
  requestMetadata?: TRequestMetadata;
  now?: Date;
  /** The reading credential's mode: the document's resident must be on its side. */
  credentialMode?: TCredentialMode;
};

/**
 * The delivery status of a document, for the partner that delivered it only. Another partner's
 * document and a missing one are the same NOT_FOUND, so ids reveal nothing. Whether the resident
 * opened it is the resident's data, so each read is audited (`document.receipt_read`).
 */
export async function getDocumentReceiptOrThrow(
  prisma: PrismaClient,
  options: GetDocumentReceiptOptions,
): Promise<TDocumentReceipt> {
  if (!isUuid(options.documentId)) throw new AppError("NOT_FOUND");
  const now = options.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    const row = await tx.mailboxDocument.findFirst({
      where: { id: options.documentId, issuerPartnerId: options.partnerId },
      select: { ...receiptSelect, residentId: true, resident: { select: { sandbox: true } } },
    });
    if (!row) throw new AppError("NOT_FOUND");
    if (options.credentialMode) assertModeReachesResident(options.credentialMode, row.resident);
    const receipt = toDocumentReceipt(row, now);
    await appendAuditEvent(tx, {
      type: "document.receipt_read",
      actor: { type: "partner", id: options.partnerId },
      subjectResidentId: row.residentId,
      purpose: "配信状況の確認",
      channel: "api",
      requestMetadata: options.requestMetadata,
      data: { documentId: row.id, status: receipt.status },
    });
    return receipt;
  });
}
