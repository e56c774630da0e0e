import { isUuid } from "../db/ids";
import type { TAuditChannel, TRequestMetadata } from "@/lib/audit/schemas";
import type { PrismaClient } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { documentDetailSelect, type TDocumentDetail, toDocumentDetail } from "@/lib/mailbox/get-document";
import { requireProxyAuthorityOrThrow } from "./authorize-proxy";
import { recordProxyAction } from "./record-proxy-action";

export type GetProxyDocumentOptions = {
  proxyId: string;
  principalId: string;
  documentId: string;
  /** "download" when the proxy exports the signed data or the PDF (same checks, own audit purpose). */
  purpose?: "view" | "download";
  /** Format of a download, recorded in the audit row and the principal's notice (default json). */
  format?: "json" | "pdf";
  channel: TAuditChannel;
  requestMetadata?: TRequestMetadata;
  now?: Date;
};

/** The resident's own document detail (signed original included) plus what the grant allows. */
export type TProxyDocumentDetail = TDocumentDetail & { canAct: boolean };

/**
 * Opens one of the principal's documents for a proxy: PROXY_NOT_AUTHORIZED without a working
 * grant, NOT_FOUND for a document that is not the principal's or lies outside the granted
 * domains (the same answer as a missing one). The principal's unread mark is left alone — it is
 * theirs. Recorded as `document.read` with actor proxy and a notice to the principal.
 */
export async function getProxyDocumentOrThrow(
  prisma: PrismaClient,
  options: GetProxyDocumentOptions,
): Promise<TProxyDocumentDetail> {
  const now = options.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    const authority = await requireProxyAuthorityOrThrow(tx, {
      proxyId: options.proxyId,
      principalId: options.principalId,
      now,
    });
    if (!isUuid(options.documentId)) throw new AppError("NOT_FOUND");
    const row = await tx.mailboxDocument.findFirst({
      where: { id: options.documentId, residentId: options.principalId, domain: { in: authority.domains } },
      select: documentDetailSelect,
    });
    if (!row) throw new AppError("NOT_FOUND");
    await recordProxyAction(tx, {
      type: "document.read",
      action: options.purpose === "download" ? "downloaded" : "read",
      proxyId: options.proxyId,
      principalId: options.principalId,
      grantId: authority.grantId,
      documentId: row.id,
      purpose: options.purpose === "download" ? "代理人による書類のダウンロード" : "代理人による書類の閲覧",
      channel: options.channel,
      requestMetadata: options.requestMetadata,
      data: { type: row.type, ...(options.purpose === "download" ? { format: options.format ?? "json" } : {}) },
    });
    // The principal's unread mark stays theirs: the detail shows it as it is.
    return { ...toDocumentDetail(row, row.readAt, now), canAct: authority.canAct };
  });
}
