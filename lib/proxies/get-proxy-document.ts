import type { TAuditChannel, TRequestMetadata } from "@/lib/audit/schemas";
import type { PrismaClient } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import type { TBilingual, TRenderedField } from "@/lib/mailbox/document-types/define-document-type";
import { describeStoredDocument } from "@/lib/mailbox/document-types/registry";
import { requireProxyAuthorityOrThrow } from "./authorize-proxy";
import { recordProxyAction } from "./record-proxy-action";

export type GetProxyDocumentOptions = {
  proxyId: string;
  principalId: string;
  documentId: string;
  channel: TAuditChannel;
  requestMetadata?: TRequestMetadata;
  now?: Date;
};

export type TProxyDocumentDetail = {
  id: string;
  typeTitle: TBilingual;
  domain: string;
  subject: TBilingual;
  issuer: { name: string; nameEn: string };
  createdAt: string;
  archivedAt: string | null;
  deadline: string | null;
  expiresAt: string | null;
  signatureValid: boolean;
  fields: { ja: TRenderedField[]; en: TRenderedField[] };
  canAct: boolean;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
    if (!UUID.test(options.documentId)) throw new AppError("NOT_FOUND");
    const row = await tx.mailboxDocument.findFirst({
      where: { id: options.documentId, residentId: options.principalId, domain: { in: authority.domains } },
      select: {
        id: true,
        type: true,
        domain: true,
        payload: true,
        createdAt: true,
        archivedAt: true,
        deadline: true,
        expiresAt: true,
        signatureValid: true,
        issuerPartner: { select: { name: true, nameEn: true } },
      },
    });
    if (!row) throw new AppError("NOT_FOUND");
    await recordProxyAction(tx, {
      type: "document.read",
      action: "read",
      proxyId: options.proxyId,
      principalId: options.principalId,
      grantId: authority.grantId,
      documentId: row.id,
      purpose: "代理人による書類の閲覧",
      channel: options.channel,
      requestMetadata: options.requestMetadata,
      data: { type: row.type },
    });
    const view = describeStoredDocument(row);
    return {
      id: row.id,
      typeTitle: view.typeTitle,
      domain: row.domain,
      subject: view.subject,
      issuer: row.issuerPartner,
      createdAt: row.createdAt.toISOString(),
      archivedAt: row.archivedAt?.toISOString() ?? null,
      deadline: row.deadline?.toISOString() ?? null,
      expiresAt: row.expiresAt?.toISOString() ?? null,
      signatureValid: row.signatureValid,
      fields: view.fields(),
      canAct: authority.canAct,
    };
  });
}
