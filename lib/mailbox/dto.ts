import type { Prisma } from "@/lib/db/client";
import type { TDocumentReceipt, TDocumentStatus, TStoredVerificationReport } from "./schemas";

/** The columns a receipt needs (a named select, convention 10, docs/architecture.md#conventions). */
export const receiptSelect = {
  id: true,
  type: true,
  createdAt: true,
  readAt: true,
  expiresAt: true,
  payloadHash: true,
  signatureValid: true,
  signedAt: true,
  verificationReport: true,
  _count: { select: { shares: true } },
} as const;

type TReceiptRow = {
  id: string;
  type: string;
  createdAt: Date;
  readAt: Date | null;
  expiresAt: Date | null;
  payloadHash: string;
  signatureValid: boolean;
  signedAt: Date | null;
  verificationReport: unknown;
  /** Shares ever made of the document (revoked and expired ones count: it was shared). */
  _count: { shares: number };
};

/**
 * THE delivery status (API receipt, bulk results, partner console): expired wins (an expired
 * document is gone for the issuer's purposes), then shared, then opened, else delivered.
 * `documentStatusWhere` is the same rule as a query filter; keep the two together.
 */
export function documentStatus(row: Pick<TReceiptRow, "readAt" | "expiresAt" | "_count">, now: Date): TDocumentStatus {
  if (row.expiresAt && row.expiresAt <= now) return "expired";
  if (row._count.shares > 0) return "shared";
  return row.readAt ? "opened" : "delivered";
}

/** The documents whose `documentStatus` is `status` at `now`, as a Prisma filter. */
export function documentStatusWhere(status: TDocumentStatus, now: Date): Prisma.MailboxDocumentWhereInput {
  const notExpired: Prisma.MailboxDocumentWhereInput = { OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] };
  switch (status) {
    case "expired":
      return { expiresAt: { lte: now } };
    case "shared":
      return { AND: [notExpired, { shares: { some: {} } }] };
    case "opened":
      return { readAt: { not: null }, AND: [notExpired, { shares: { none: {} } }] };
    case "delivered":
      return { readAt: null, AND: [notExpired, { shares: { none: {} } }] };
  }
}

/** The receipt DTO an issuer sees: status and signature facts, never the resident's identity. */
export function toDocumentReceipt(row: TReceiptRow, now: Date): TDocumentReceipt {
  const report = row.verificationReport as TStoredVerificationReport | null;
  return {
    id: row.id,
    type: row.type,
    status: documentStatus(row, now),
    deliveredAt: row.createdAt.toISOString(),
    openedAt: row.readAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    payloadHash: row.payloadHash,
    signature: {
      valid: row.signatureValid,
      signingTime: row.signedAt?.toISOString() ?? null,
      signer: report?.signer?.organizationName ?? null,
    },
  };
}
