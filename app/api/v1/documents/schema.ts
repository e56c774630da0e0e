import type { z } from "zod";
import { ZIdempotencyKey } from "@/lib/mailbox/deliver-document";
import { ZDeliverDocumentRequest, ZDocumentReceipt } from "@/lib/mailbox/schemas";
import { EXAMPLE_PAYLOADS } from "@/lib/mailbox/document-types/examples";
import type { TOperationMeta } from "../_lib/operation";

/** Largest request body of POST /api/v1/documents: five 5 MB attachments are at most 10 MB together, base64 adds a third. */
export const MAX_DELIVER_BODY_BYTES = 15 * 1024 * 1024;

export const ZDeliverDocumentRequestSchema = ZDeliverDocumentRequest.meta({
  description: "One signed document for one resident.",
});
export type TDeliverDocumentRequestSchema = z.infer<typeof ZDeliverDocumentRequestSchema>;

export const ZDeliverDocumentResponseSchema = ZDocumentReceipt.meta({
  description: "Delivery status of a document, as its issuer sees it.",
});

export const deliverDocumentMeta = {
  method: "post",
  path: "/api/v1/documents",
  operationId: "deliverDocument",
  summary: "Deliver one signed document",
  description: [
    "Validates `payload` against the JSON Schema of `type`, verifies `signature` (a detached CMS SignedData, CAdES-BES, over the RFC 8785 canonical bytes of `payload`) against the ichimai partner CA, checks that the signing certificate belongs to the calling partner, and stores the document in the resident's mailbox.",
    "Address the resident by the `partnerRef` they linked to you; only the municipality may use `registryNumber`.",
    "Send an `Idempotency-Key` to retry safely: the same key with the same body returns the first answer (with `Idempotent-Replayed: true`); the same key with another body is `IDEMPOTENCY_KEY_REUSED`. A refused delivery is not stored as an answer: retrying it with the same key runs again (it is listed by GET /api/v1/delivery-failures).",
  ].join("\n\n"),
  scope: "documents:deliver",
  headers: [
    {
      name: "Idempotency-Key",
      required: false,
      description: "1–255 printable ASCII characters, unique per request you mean to make once.",
      schema: ZIdempotencyKey,
    },
  ],
  request: ZDeliverDocumentRequestSchema,
  requestExample: {
    type: "life-insurance-deduction-certificate",
    recipient: { partnerRef: "SL-2026-000123" },
    payload: EXAMPLE_PAYLOADS["life-insurance-deduction-certificate"],
    signature: "MIIG…(base64 DER)",
    metadata: { labels: ["年末調整"], keepAfterRelationshipEnds: true },
  },
  responses: [
    {
      status: 201,
      description: "Delivered (or the replay of an earlier delivery with the same key).",
      schema: ZDeliverDocumentResponseSchema,
    },
  ],
  errors: [
    "UNAUTHENTICATED",
    "PARTNER_CREDENTIAL_INVALID",
    "FORBIDDEN",
    "RATE_LIMITED",
    "BAD_JSON",
    "UNSUPPORTED_MEDIA_TYPE",
    "TEXT_CHARACTER_FORBIDDEN",
    "PAYLOAD_TOO_LARGE",
    "VALIDATION_FAILED",
    "DOCUMENT_TYPE_UNKNOWN",
    "DOCUMENT_SIGNATURE_INVALID",
    "DOCUMENT_ISSUER_MISMATCH",
    "DOCUMENT_ISSUER_REVOKED",
    "RECIPIENT_NOT_LINKED",
    "LINK_PURPOSE_NOT_ALLOWED",
    "RECIPIENT_ADDRESSING_FORBIDDEN",
    "IDEMPOTENCY_KEY_REUSED",
    "ATTACHMENT_TOO_LARGE",
    "ATTACHMENT_TYPE_UNSUPPORTED",
    "ATTACHMENT_TYPE_MISMATCH",
  ],
} satisfies TOperationMeta;
