import { ZSafeText } from "../http/safe-text";
import { z } from "zod";
import { ZDocumentDomain } from "./document-types/define-document-type";

/*
 * Domain value schemas of the mailbox, shared by lib/mailbox, the partner API (/api/v1 schema.ts
 * files add the OpenAPI meta) and the resident pages.
 */

/** Largest decoded attachment. */
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
/** Attachments per document. */
export const MAX_ATTACHMENTS = 5;
/** Largest detached signature (base64 characters): a SignedData with a short chain is a few KB. */
const MAX_SIGNATURE_CHARS = 64 * 1024;

const ZBase64 = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, "must be standard base64 (RFC 4648 §4)");

/** How a partner names the recipient: its own pairwise reference, or (municipality only) the registry number. */
export const ZRecipient = z.union([
  z.strictObject({
    partnerRef: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .meta({ description: "The partner's own reference the resident linked" }),
  }),
  z.strictObject({
    registryNumber: z
      .string()
      .regex(/^[0-9A-Za-z-]{4,32}$/)
      .meta({ description: "Resident registry number (municipality partners only)" }),
  }),
]);
export type TRecipient = z.infer<typeof ZRecipient>;

/** An action the resident can take on a document. */
export const ZDocumentAction = z.strictObject({
  kind: z.enum(["pay", "reply", "apply"]),
  label: ZSafeText.trim().min(1).max(100).optional(),
  url: z
    .url({ protocol: /^https$/ })
    .max(2000)
    .optional(),
});
export type TDocumentAction = z.infer<typeof ZDocumentAction>;

/**
 * Delivery metadata: outside the issuer's signature (the signature covers `payload` only), so the
 * portal shows it apart from the signed content, marked as not signed (docs/security.md).
 */
export const ZDocumentMetadata = z.strictObject({
  actions: z.array(ZDocumentAction).max(5).optional().meta({
    description:
      "Pay / reply / apply actions. Not covered by the issuer's signature. An action URL becomes a link for the resident only when its origin is one of the origins the municipality registered for the partner (Partner.actionOrigins); any other URL is accepted but shown as plain, non-clickable text.",
  }),
  deadline: z.iso.datetime({ offset: true }).optional(),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
  language: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/)
    .optional()
    .meta({ description: "BCP 47 language of the payload text (default ja)" }),
  keepAfterRelationshipEnds: z.boolean().optional(),
  labels: z.array(ZSafeText.trim().min(1).max(40)).max(10).optional(),
});
export type TDocumentMetadata = z.infer<typeof ZDocumentMetadata>;

export const ZAttachmentInput = z.strictObject({
  filename: z
    .string()
    .min(1)
    .max(200)
    .refine(
      (name) => ![...name].some((ch) => ch === "/" || ch === "\\" || ch.charCodeAt(0) < 0x20 || ch === "\u007f"),
      "a file name without path separators or control characters",
    ),
  mimeType: z.string().min(3).max(100),
  contentBase64: ZBase64(Math.ceil(MAX_ATTACHMENT_BYTES / 3) * 4 + 4),
});

/** The body of POST /api/v1/documents. */
export const ZDeliverDocumentRequest = z.strictObject({
  type: z.string().min(1).max(100).meta({ description: "Document type id, e.g. life-insurance-deduction-certificate" }),
  recipient: ZRecipient,
  payload: z
    .record(z.string(), z.unknown())
    .meta({ description: "The document data; must match the type's JSON Schema" }),
  signature: ZBase64(MAX_SIGNATURE_CHARS).min(1).meta({
    description:
      "base64 DER of a detached CMS SignedData (CAdES-BES) over the RFC 8785 canonical bytes of `payload`, made with the partner's organisation key",
  }),
  metadata: ZDocumentMetadata.optional(),
  attachments: z.array(ZAttachmentInput).max(MAX_ATTACHMENTS).optional(),
});
export type TDeliverDocumentRequest = z.infer<typeof ZDeliverDocumentRequest>;

/**
 * Delivery status of a document as its issuer sees it (one definition: `documentStatus` and
 * `documentStatusWhere` in dto.ts). Precedence: `expired` (expiresAt passed) wins, then `shared`
 * (the resident shared it, with a partner or by a one-time link, at any time), then `opened`,
 * else `delivered`. A refused delivery is no document: it is a DeliveryFailure ("failed").
 */
export const ZDocumentStatus = z.enum(["delivered", "opened", "shared", "expired"]);
export type TDocumentStatus = z.infer<typeof ZDocumentStatus>;

/** The receipt of a delivered document (POST response and GET /api/v1/documents/{id}). */
export const ZDocumentReceipt = z.strictObject({
  id: z.uuid(),
  type: z.string(),
  status: ZDocumentStatus.meta({
    description: "expired (past expiresAt) wins, then shared (the resident shared it), then opened, else delivered",
  }),
  deliveredAt: z.iso.datetime(),
  openedAt: z.iso.datetime().nullable(),
  expiresAt: z.iso.datetime().nullable(),
  payloadHash: z.string().meta({ description: "SHA-256 (hex) of the canonical payload" }),
  signature: z.strictObject({
    valid: z.boolean(),
    signingTime: z.iso.datetime().nullable(),
    signer: z.string().nullable(),
  }),
});
export type TDocumentReceipt = z.infer<typeof ZDocumentReceipt>;

/** One verification check as stored and shown (codes from lib/jpki CheckCode). */
export const ZStoredCheck = z.object({ code: z.string(), ok: z.boolean(), detail: z.string().optional() });

/** The verification report stored with a document (jsonb), made at delivery. */
export const ZStoredVerificationReport = z.object({
  valid: z.boolean(),
  verifiedAt: z.string(),
  checks: z.array(ZStoredCheck),
  signingTime: z.string().nullable(),
  signer: z
    .object({
      organizationName: z.string().nullable(),
      partnerSlug: z.string().nullable(),
      subject: z.string(),
      issuer: z.string(),
      serialNumber: z.string(),
      notBefore: z.string(),
      notAfter: z.string(),
      fingerprint: z.string(),
    })
    .nullable(),
  /** Subjects of the certificate path, signer first, ending at the trusted root. */
  path: z.array(z.string()),
});
export type TStoredVerificationReport = z.infer<typeof ZStoredVerificationReport>;

/** Filters of the resident inbox. */
export const ZListDocumentsFilter = z.strictObject({
  q: ZSafeText.trim().max(100).optional(),
  type: ZSafeText.max(100).optional(),
  domain: ZDocumentDomain.optional(),
  issuerPartnerId: z.uuid().optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  archived: z.boolean().optional(),
  unreadOnly: z.boolean().optional(),
});
export type TListDocumentsFilter = z.infer<typeof ZListDocumentsFilter>;

/** The original signed data of a document (lib/mailbox/signed-bundle.ts), as shares return it. */
export const ZSignedDocumentBundle = z.object({
  format: z.literal("ichimai-signed-document/1"),
  id: z.uuid(),
  type: z.string(),
  issuer: z.object({ name: z.string(), nameEn: z.string() }),
  deliveredAt: z.iso.datetime(),
  payload: z.unknown(),
  canonicalization: z.literal("RFC 8785 (JCS)"),
  payloadHash: z.object({ algorithm: z.literal("SHA-256"), value: z.string() }),
  signature: z.object({
    format: z.literal("CMS SignedData, CAdES-BES, detached, DER, base64"),
    value: z.string(),
  }),
  verification: ZStoredVerificationReport,
});
