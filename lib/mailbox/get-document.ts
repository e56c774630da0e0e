import { isUuid } from "../db/ids";
import { shownActions, type TShownAction } from "./action-links";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { TAuditChannel, TRequestMetadata } from "@/lib/audit/schemas";
import type { Prisma, PrismaClient } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import type { TBilingual, TDocumentDomain, TRenderedField } from "./document-types/define-document-type";
import { describeStoredDocument } from "./document-types/registry";
import type { TDocumentAction, TStoredVerificationReport } from "./schemas";

export type GetDocumentOptions = {
  /** The logged-in resident; only their own documents are returned. */
  residentId: string;
  documentId: string;
  /** "download" when the resident exports the signed data (same check, different audit purpose). */
  purpose?: "view" | "download";
  /** Format of a download, recorded in the audit row (default json). */
  format?: "json" | "pdf";
  channel: TAuditChannel;
  requestMetadata?: TRequestMetadata;
  now?: Date;
};

/** A document as the resident sees it: rendered in both languages, with the signed original. */
export type TDocumentDetail = {
  id: string;
  type: string;
  typeTitle: TBilingual;
  domain: TDocumentDomain | string;
  subject: TBilingual;
  issuer: { id: string; name: string; nameEn: string };
  createdAt: string;
  readAt: string | null;
  archivedAt: string | null;
  deadline: string | null;
  expiresAt: string | null;
  expired: boolean;
  /**
   * Outside the issuer's signature, like `labels`, `deadline` and `expiresAt`: shown apart from
   * the signed content. An action is `linkable` only when its URL's origin is one the issuer
   * registered (Partner.actionOrigins, action-links.ts).
   */
  actions: TShownAction[];
  labels: string[];
  language: string;
  keepAfterRelationshipEnds: boolean;
  fields: { ja: TRenderedField[]; en: TRenderedField[] };
  payload: unknown;
  payloadHash: string;
  /** base64 DER of the issuer's detached CMS signature over the canonical payload. */
  signature: string;
  verification: TStoredVerificationReport;
  attachments: { id: string; filename: string; mimeType: string; size: number; sha256: string }[];
};

/**
 * Opens one of the resident's own documents (another resident's id is NOT_FOUND, like a missing
 * one), marks it read on first open, and writes `document.read` in the same transaction.
 */
export async function getDocumentOrThrow(prisma: PrismaClient, options: GetDocumentOptions): Promise<TDocumentDetail> {
  if (!isUuid(options.documentId)) throw new AppError("NOT_FOUND");
  const now = options.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    const row = await tx.mailboxDocument.findFirst({
      where: { id: options.documentId, residentId: options.residentId },
      select: documentDetailSelect,
    });
    if (!row) throw new AppError("NOT_FOUND");
    let readAt = row.readAt;
    if (!readAt) {
      await tx.mailboxDocument.updateMany({ where: { id: row.id, readAt: null }, data: { readAt: now } });
      readAt = now;
    }
    await appendAuditEvent(tx, {
      type: "document.read",
      actor: { type: "resident", id: options.residentId },
      subjectResidentId: options.residentId,
      purpose: options.purpose === "download" ? "書類のダウンロード" : "書類の閲覧",
      channel: options.channel,
      requestMetadata: options.requestMetadata,
      data: {
        documentId: row.id,
        type: row.type,
        ...(options.purpose === "download" ? { format: options.format ?? "json" } : {}),
      },
    });
    return toDocumentDetail(row, readAt, now);
  });
}

/** The columns of a document detail (the resident's view and a proxy's). */
export const documentDetailSelect = {
  id: true,
  type: true,
  domain: true,
  payload: true,
  payloadHash: true,
  signature: true,
  verificationReport: true,
  actions: true,
  deadline: true,
  expiresAt: true,
  language: true,
  keepAfterRelationshipEnds: true,
  labels: true,
  readAt: true,
  archivedAt: true,
  createdAt: true,
  issuerPartner: { select: { id: true, name: true, nameEn: true, actionOrigins: true } },
  attachments: { select: { id: true, filename: true, mimeType: true, size: true, sha256: true } },
} as const;

type TDocumentDetailRow = Prisma.MailboxDocumentGetPayload<{ select: typeof documentDetailSelect }>;

/** A selected row as the detail both the resident and a proxy see (rendered, with the signed original). */
export function toDocumentDetail(row: TDocumentDetailRow, readAt: Date | null, now: Date): TDocumentDetail {
  const view = describeStoredDocument(row);
  return {
    id: row.id,
    type: row.type,
    typeTitle: view.typeTitle,
    domain: row.domain,
    subject: view.subject,
    issuer: { id: row.issuerPartner.id, name: row.issuerPartner.name, nameEn: row.issuerPartner.nameEn },
    createdAt: row.createdAt.toISOString(),
    readAt: readAt?.toISOString() ?? null,
    archivedAt: row.archivedAt?.toISOString() ?? null,
    deadline: row.deadline?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    expired: row.expiresAt !== null && row.expiresAt <= now,
    actions: shownActions(row.actions as TDocumentAction[], row.issuerPartner.actionOrigins),
    labels: row.labels,
    language: row.language,
    keepAfterRelationshipEnds: row.keepAfterRelationshipEnds,
    fields: view.fields(),
    payload: row.payload,
    payloadHash: row.payloadHash,
    signature: Buffer.from(row.signature).toString("base64"),
    verification: row.verificationReport as unknown as TStoredVerificationReport,
    attachments: row.attachments,
  };
}
