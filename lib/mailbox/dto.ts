import type { TDocumentReceipt, TDocumentStatus, TStoredVerificationReport } from "./schemas";

/** The columns a receipt needs (a named select, STYLE.md 10). */
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
};

/** Delivery status: expired wins over opened (an expired document is gone for the issuer's purposes). */
export function documentStatus(row: Pick<TReceiptRow, "readAt" | "expiresAt">, now: Date): TDocumentStatus {
  if (row.expiresAt && row.expiresAt <= now) return "expired";
  return row.readAt ? "opened" : "delivered";
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
