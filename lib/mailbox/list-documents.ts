import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { TAuditChannel, TRequestMetadata } from "@/lib/audit/schemas";
import type { Prisma, PrismaClient } from "@/lib/db/client";
import { validationFailed } from "@/lib/errors/app-error";
import { createdAtIdCursor, parseCursor } from "@/lib/pagination/keyset-cursor";
import type { TBilingual } from "./document-types/define-document-type";
import { describeStoredDocument } from "./document-types/registry";
import { type TListDocumentsFilter, ZListDocumentsFilter } from "./schemas";
import { parseSearchQuery } from "./search-text";

export type ListDocumentsOptions = {
  /** The logged-in resident: the list holds their own documents only. */
  residentId: string;
  filter?: TListDocumentsFilter;
  /** From the previous page's nextCursor. */
  cursor?: string;
  /** Page size, 1–100 (default 20). */
  limit?: number;
  channel: TAuditChannel;
  requestMetadata?: TRequestMetadata;
  now?: Date;
};

/** One row of the inbox. */
export type TDocumentListItem = {
  id: string;
  type: string;
  typeTitle: TBilingual;
  domain: string;
  subject: TBilingual;
  issuer: { id: string; name: string; nameEn: string };
  createdAt: string;
  readAt: string | null;
  archivedAt: string | null;
  deadline: string | null;
  expiresAt: string | null;
  expired: boolean;
  /** Expires within 14 days (the inbox warns). */
  expiresSoon: boolean;
  signatureValid: boolean;
  labels: string[];
};

export type TListDocumentsResult = {
  items: TDocumentListItem[];
  /** Unread, not archived documents of the resident (independent of the filter). */
  unreadCount: number;
  nextCursor: string | null;
  /** Issuers that ever delivered to the resident, for the issuer filter. */
  issuers: { id: string; name: string; nameEn: string }[];
};

const EXPIRY_WARNING_MS = 14 * 86_400_000;
const JST_OFFSET = "+09:00";

/**
 * The resident's inbox, newest first, with keyset pagination on (createdAt, id) so page N costs
 * the same as page 1 (index MailboxDocument(residentId, createdAt DESC, id DESC)). Indexes and
 * their figures: migration 20261202155523_inbox_indexes, `npx tsx bench/mailbox-inbox.ts`.
 *
 * Search (`filter.q`) works on kanji and kana alike: query and documents are folded the same way
 * (NFKC, katakana → hiragana), each term must have all its character bigrams in the GIN-indexed
 * searchGrams and occur in the folded text (lib/mailbox/search-text.ts); the GIN index over
 * (residentId, searchGrams) keeps that to the resident's own rows. Date filters are
 * Japanese calendar days. Listing shows titles and issuers of personal documents, so it is
 * audited (`document.listed`), without the query text.
 */
export async function listDocuments(
  prisma: PrismaClient,
  options: ListDocumentsOptions,
): Promise<TListDocumentsResult> {
  const parsed = ZListDocumentsFilter.safeParse(options.filter ?? {});
  if (!parsed.success) {
    throw validationFailed(parsed.error);
  }
  const filter = parsed.data;
  const limit = Math.min(Math.max(options.limit ?? 20, 1), 100);
  const now = options.now ?? new Date();

  const and: Prisma.MailboxDocumentWhereInput[] = [];
  if (filter.q) {
    const { terms, grams } = parseSearchQuery(filter.q);
    if (grams.length > 0) and.push({ searchGrams: { hasEvery: grams } });
    // LIKE wildcards in a term would widen the match; the bigram test already covers them.
    for (const t of terms.map((x) => x.replace(/[%_\\]/g, "")).filter(Boolean)) {
      and.push({ searchText: { contains: t } });
    }
  }
  if (options.cursor) {
    const c = parseCursor(createdAtIdCursor, options.cursor);
    and.push({ OR: [{ createdAt: { lt: c.createdAt } }, { createdAt: c.createdAt, id: { lt: c.id } }] });
  }
  const where: Prisma.MailboxDocumentWhereInput = {
    residentId: options.residentId,
    archivedAt: filter.archived ? { not: null } : null,
    ...(filter.unreadOnly ? { readAt: null } : {}),
    ...(filter.type ? { type: filter.type } : {}),
    ...(filter.domain ? { domain: filter.domain } : {}),
    ...(filter.issuerPartnerId ? { issuerPartnerId: filter.issuerPartnerId } : {}),
    ...(filter.from || filter.to
      ? {
          createdAt: {
            ...(filter.from ? { gte: new Date(`${filter.from}T00:00:00${JST_OFFSET}`) } : {}),
            ...(filter.to
              ? { lt: new Date(new Date(`${filter.to}T00:00:00${JST_OFFSET}`).getTime() + 86_400_000) }
              : {}),
          },
        }
      : {}),
    ...(and.length ? { AND: and } : {}),
  };

  return prisma.$transaction(async (tx) => {
    const [rows, unreadCount, issuers] = await Promise.all([
      tx.mailboxDocument.findMany({
        where,
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: limit + 1,
        select: {
          id: true,
          type: true,
          domain: true,
          payload: true,
          createdAt: true,
          readAt: true,
          archivedAt: true,
          deadline: true,
          expiresAt: true,
          signatureValid: true,
          labels: true,
          issuerPartner: { select: { id: true, name: true, nameEn: true } },
        },
      }),
      // Partial index MailboxDocument_unread_idx: counts the unread rows only.
      tx.mailboxDocument.count({ where: { residentId: options.residentId, readAt: null, archivedAt: null } }),
      // A semi-join on (residentId, issuerPartnerId), not a GROUP BY over all the resident's rows.
      tx.partner.findMany({
        where: { issuedDocuments: { some: { residentId: options.residentId } } },
        select: { id: true, name: true, nameEn: true },
        orderBy: { name: "asc" },
      }),
    ]);
    const page = rows.slice(0, limit);
    await appendAuditEvent(tx, {
      type: "document.listed",
      actor: { type: "resident", id: options.residentId },
      subjectResidentId: options.residentId,
      purpose: filter.q ? "私書箱の検索" : "私書箱の一覧",
      channel: options.channel,
      requestMetadata: options.requestMetadata,
      data: {
        count: page.length,
        filters: Object.keys(filter).filter((k) => k !== "q"),
        searched: Boolean(filter.q),
      },
    });
    const items = page.map((r): TDocumentListItem => {
      const view = describeStoredDocument(r);
      return {
        id: r.id,
        type: r.type,
        typeTitle: view.typeTitle,
        domain: r.domain,
        subject: view.subject,
        issuer: r.issuerPartner,
        createdAt: r.createdAt.toISOString(),
        readAt: r.readAt?.toISOString() ?? null,
        archivedAt: r.archivedAt?.toISOString() ?? null,
        deadline: r.deadline?.toISOString() ?? null,
        expiresAt: r.expiresAt?.toISOString() ?? null,
        expired: r.expiresAt !== null && r.expiresAt <= now,
        expiresSoon:
          r.expiresAt !== null && r.expiresAt > now && r.expiresAt.getTime() - now.getTime() <= EXPIRY_WARNING_MS,
        signatureValid: r.signatureValid,
        labels: r.labels,
      };
    });
    const last = page[page.length - 1];
    return {
      items,
      unreadCount,
      nextCursor: rows.length > limit && last ? createdAtIdCursor.encode(last) : null,
      issuers,
    };
  });
}
