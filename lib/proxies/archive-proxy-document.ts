import { isUuid } from "../db/ids";
import type { TAuditChannel, TRequestMetadata } from "@/lib/audit/schemas";
import type { PrismaClient } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { requireProxyAuthorityOrThrow } from "./authorize-proxy";
import { recordProxyAction } from "./record-proxy-action";

export type ArchiveProxyDocumentOptions = {
  proxyId: string;
  principalId: string;
  documentId: string;
  archived: boolean;
  channel: TAuditChannel;
  requestMetadata?: TRequestMetadata;
  now?: Date;
};

/**
 * A read-and-act proxy archives or restores one of the principal's documents in a granted domain
 * (PROXY_READ_ONLY for a read grant; NOT_FOUND outside the scope). Recorded as
 * `document.archived` with actor proxy and a notice to the principal.
 */
export async function archiveProxyDocument(prisma: PrismaClient, options: ArchiveProxyDocumentOptions): Promise<void> {
  const now = options.now ?? new Date();
  await prisma.$transaction(async (tx) => {
    const authority = await requireProxyAuthorityOrThrow(tx, {
      proxyId: options.proxyId,
      principalId: options.principalId,
      now,
      act: true,
    });
    if (!isUuid(options.documentId)) throw new AppError("NOT_FOUND");
    const { count } = await tx.mailboxDocument.updateMany({
      where: { id: options.documentId, residentId: options.principalId, domain: { in: authority.domains } },
      data: { archivedAt: options.archived ? now : null },
    });
    if (count === 0) throw new AppError("NOT_FOUND");
    await recordProxyAction(tx, {
      type: "document.archived",
      action: options.archived ? "archived" : "restored",
      proxyId: options.proxyId,
      principalId: options.principalId,
      grantId: authority.grantId,
      documentId: options.documentId,
      purpose: options.archived ? "代理人による書類の整理" : "代理人による書類の整理の取り消し",
      channel: options.channel,
      requestMetadata: options.requestMetadata,
      data: { archived: options.archived },
    });
  });
}
