import type { TDocumentDetail } from "./get-document";
import type { TStoredVerificationReport } from "./schemas";

/**
 * The portable form of a signed document (download, shares): the payload as delivered, the
 * issuer's detached CMS signature over its RFC 8785 bytes, and the report made at delivery.
 * Anyone can re-verify it offline: canonicalise `payload` (RFC 8785), then verify
 * `signature.value` (CMS SignedData, detached) over those bytes against the partner CA.
 */
export type TSignedDocumentBundle = {
  format: "ichimai-signed-document/1";
  id: string;
  type: string;
  issuer: { name: string; nameEn: string };
  deliveredAt: string;
  payload: unknown;
  canonicalization: "RFC 8785 (JCS)";
  payloadHash: { algorithm: "SHA-256"; value: string };
  signature: { format: "CMS SignedData, CAdES-BES, detached, DER, base64"; value: string };
  verification: TStoredVerificationReport;
};

/** The columns a bundle needs (a named select). */
export const bundleSelect = {
  id: true,
  type: true,
  createdAt: true,
  payload: true,
  payloadHash: true,
  signature: true,
  verificationReport: true,
  issuerPartner: { select: { name: true, nameEn: true } },
} as const;

type TBundleRow = {
  id: string;
  type: string;
  createdAt: Date;
  payload: unknown;
  payloadHash: string;
  signature: Uint8Array;
  verificationReport: unknown;
  issuerPartner: { name: string; nameEn: string };
};

export function toSignedDocumentBundle(row: TBundleRow): TSignedDocumentBundle {
  return {
    format: "ichimai-signed-document/1",
    id: row.id,
    type: row.type,
    issuer: row.issuerPartner,
    deliveredAt: row.createdAt.toISOString(),
    payload: row.payload,
    canonicalization: "RFC 8785 (JCS)",
    payloadHash: { algorithm: "SHA-256", value: row.payloadHash },
    signature: {
      format: "CMS SignedData, CAdES-BES, detached, DER, base64",
      value: Buffer.from(row.signature).toString("base64"),
    },
    verification: row.verificationReport as TStoredVerificationReport,
  };
}

/** The bundle of a document detail (the resident's or a proxy's JSON download). */
export function signedBundleOfDetail(doc: TDocumentDetail): TSignedDocumentBundle {
  return {
    format: "ichimai-signed-document/1",
    id: doc.id,
    type: doc.type,
    issuer: { name: doc.issuer.name, nameEn: doc.issuer.nameEn },
    deliveredAt: doc.createdAt,
    payload: doc.payload,
    canonicalization: "RFC 8785 (JCS)",
    payloadHash: { algorithm: "SHA-256", value: doc.payloadHash },
    signature: { format: "CMS SignedData, CAdES-BES, detached, DER, base64", value: doc.signature },
    verification: doc.verification,
  };
}

/** The JSON download response of a bundle (attachment, never cached). */
export function signedBundleResponse(bundle: TSignedDocumentBundle): Response {
  return new Response(JSON.stringify(bundle, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${bundle.type}-${bundle.id}.json"`,
      "Cache-Control": "no-store",
    },
  });
}
