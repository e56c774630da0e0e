import type { TAuditChannel, TRequestMetadata } from "@/lib/audit/schemas";
import type { PrismaClient } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { createdAtIdCursor, parseCursor } from "@/lib/pagination/keyset-cursor";
import type { TBilingual, TDocumentDomain } from "@/lib/mailbox/document-types/define-document-type";
import { ZDocumentDomain } from "@/lib/mailbox/document-types/define-document-type";
import { describeStoredDocument } from "@/lib/mailbox/document-types/registry";
import { requireProxyAuthorityOrThrow } from "./authorize-proxy";
import { recordProxyAction } from "./record-proxy-action";

export type ListProxyDocumentsOptions = {
  /** The logged-in resident acting as proxy. */
  proxyId: string;
  /** Whose mailbox (from the URL; checked against the grants). */
  principalId: string;
  /** Narrow to one of the granted domains. */
  domain?: string;
  cursor?: string;
  limit?: number;
  channel: TAuditChannel;
  requestMetadata?: TRequestMetadata;
  now?: Date;
};

export type TProxyDocumentListItem = {
  id: string;
  typeTitle: TBilingual;
  domain: string;
  subject: TBilingual;
  issuer: { name: string; nameEn: string };
  createdAt: string;
  archivedAt: string | null;
  deadline: string | null;
  signatureValid: boolean;
};

export type TProxyDocumentList = {
  principal: { displayName: string };
  domains: TDocumentDomain[];
  canAct: boolean;
  items: TProxyDocumentListItem[];
  nextCursor: string | null;
};

/**
 * The principal's documents as their proxy may see them: only the granted domains, newest first,
 * archived included (a carer may need to find an old notice). The grant is checked inside the
 * same transaction as the read, and the listing is recorded as `document.listed` with actor
 * proxy plus a notice for the principal. The mailbox's own listDocuments is for the owner only
 * (its audit row names the resident as actor), so the proxy path queries here with the domain
 * restriction in the WHERE clause, never after the read.
 */
export async function listProxyDocuments(
  prisma: PrismaClient,
  options: ListProxyDocumentsOptions,
): Promise<TProxyDocumentList> {
  const now = options.now ?? new Date();
  const limit = Math.min(Math.max(options.limit ?? 20, 1), 100);
  const domain = options.domain === undefined ? undefined : ZDocumentDomain.safeParse(options.domain);
  if (domain && !domain.success) {
    throw new AppError("VALIDATION_FAILED", { details: [{ path: "domain", message: "unknown domain" }] });
  }
  const before = options.cursor ? parseCursor(createdAtIdCursor, options.cursor) : undefined;
  return prisma.$transaction(async (tx) => {
    const authority = await requireProxyAuthorityOrThrow(tx, {
      proxyId: options.proxyId,
      principalId: options.principalId,
      now,
    });
    const domains = domain?.data ? authority.domains.filter((d) => d === domain.data) : authority.domains;
    const [rows, principal] = await Promise.all([
      tx.mailboxDocument.findMany({
        where: {
          residentId: options.principalId,
          domain: { in: domains },
          ...(before
            ? { OR: [{ createdAt: { lt: before.createdAt } }, { createdAt: before.createdAt, id: { lt: before.id } }] }
            : {}),
        },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: limit + 1,
        select: {
          id: true,
          type: true,
          domain: true,
          payload: true,
          createdAt: true,
          archivedAt: true,
          deadline: true,
          signatureValid: true,
          issuerPartner: { select: { name: true, nameEn: true } },
        },
      }),
      tx.resident.findUniqueOrThrow({
        where: { id: options.principalId },
        select: { familyName: true, givenName: true },
      }),
    ]);
    const page = rows.slice(0, limit);
    await recordProxyAction(tx, {
      type: "document.listed",
      action: "listed",
      proxyId: options.proxyId,
      principalId: options.principalId,
      grantId: authority.grantId,
      purpose: "代理人による私書箱の一覧",
      channel: options.channel,
      requestMetadata: options.requestMetadata,
      data: { count: page.length, domains },
    });
    const last = page.at(-1);
    return {
      principal: { displayName: `${principal.familyName} ${principal.givenName}` },
      domains: authority.domains,
      canAct: authority.canAct,
      items: page.map((r) => {
        const view = describeStoredDocument(r);
        return {
          id: r.id,
          typeTitle: view.typeTitle,
          domain: r.domain,
          subject: view.subject,
          issuer: r.issuerPartner,
          createdAt: r.createdAt.toISOString(),
          archivedAt: r.archivedAt?.toISOString() ?? null,
          deadline: r.deadline?.toISOString() ?? null,
          signatureValid: r.signatureValid,
        };
      }),
      nextCursor: rows.length > limit && last ? createdAtIdCursor.encode(last) : null,
    };
  });
}
