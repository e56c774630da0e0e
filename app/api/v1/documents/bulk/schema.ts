import { z } from "zod";
import { errorCodes } from "@/lib/errors/codes";
import { MAX_BULK_DOCUMENTS, ZBulkDeliveryLine } from "@/lib/mailbox/deliver-bulk";
import { EXAMPLE_PAYLOADS } from "@/lib/mailbox/document-types/examples";
import { ZDocumentReceipt } from "@/lib/mailbox/schemas";
import type { TOperationMeta } from "../../_lib/operation";
import { MAX_DELIVER_BODY_BYTES } from "../schema";

/** Largest bulk body: 10,000 documents of about 10 KB (payload + CMS with its certificate) is ~100 MB. */
export const MAX_BULK_BODY_BYTES = 256 * 1024 * 1024;
/** Largest single line: the single-delivery body limit. */
export const MAX_BULK_LINE_BYTES = MAX_DELIVER_BODY_BYTES;
export const BULK_CONTENT_TYPE = "application/x-ndjson";

export const ZBulkDeliveryLineSchema = ZBulkDeliveryLine.meta({
  description:
    "One line of the NDJSON body: a document as POST /api/v1/documents takes it, with its own idempotency key.",
});

const ZLineError = z.strictObject({
  code: z.enum(Object.keys(errorCodes) as [string, ...string[]]),
  message: z.string(),
  details: z.unknown().optional(),
});

/** One line of the NDJSON answer: the result of the input line with the same number, or the final summary. */
export const ZBulkResultLineSchema = z
  .union([
    z.strictObject({
      line: z.int().min(1),
      idempotencyKey: z.string().optional(),
      status: z.enum(["delivered", "replayed"]),
      receipt: ZDocumentReceipt,
    }),
    z.strictObject({
      line: z.int().min(1),
      idempotencyKey: z.string().optional(),
      status: z.literal("refused"),
      error: ZLineError,
    }),
    z.strictObject({
      summary: z.strictObject({
        lines: z.int(),
        delivered: z.int(),
        replayed: z.int(),
        refused: z.int(),
        /** Set when the request was cut short (PAYLOAD_TOO_LARGE, INTERNAL): later lines were not read. */
        aborted: ZLineError.optional(),
      }),
    }),
  ])
  .meta({ description: "One line of the application/x-ndjson answer (one per input line, then a summary)." });

export const deliverDocumentsBulkMeta = {
  method: "post",
  path: "/api/v1/documents/bulk",
  operationId: "deliverDocumentsBulk",
  summary: "Deliver up to 10,000 signed documents in one streamed request",
  description: [
    `Send \`Content-Type: ${BULK_CONTENT_TYPE}\`: one JSON object per line, at most ${MAX_BULK_DOCUMENTS} lines and ${MAX_BULK_BODY_BYTES / 1024 / 1024} MB. Each line is checked exactly like POST /api/v1/documents, with the same error codes (plus BAD_JSON for a line that is not JSON, and TEXT_CHARACTER_FORBIDDEN for a line with U+0000 or an unpaired surrogate in any string).`,
    "The answer is streamed as NDJSON too, one result per non-empty input line in input order (`delivered`, `replayed` or `refused` with a stable error code), then one `summary` line. A refused line writes no document (it is listed, with its line number, by GET /api/v1/delivery-failures); the other lines are unaffected.",
    "Idempotency is per line: the same `idempotencyKey` with the same document answers `replayed` with the first receipt, also when repeated inside one request; with another document it is `IDEMPOTENCY_KEY_REUSED`. Retrying a whole bulk with the same keys is safe.",
    "If the body passes the size or line limits while streaming, the lines read so far are answered and the summary carries `aborted: PAYLOAD_TOO_LARGE`.",
    "Lines are written in batches, each in one transaction. A line whose row the database refuses is `refused` alone with DOCUMENT_NOT_STORABLE; the rest of its batch is written. If the database itself fails, the delivery stops: the lines already committed are answered `delivered`, every other line read so far is `refused` with DELIVERY_NOT_STORED (nothing of it was written), no further line is read, and the summary carries `aborted`. What is answered `delivered` is exactly what is stored, so sending the same lines again with the same keys completes the delivery exactly.",
  ].join("\n\n"),
  scope: "documents:deliver",
  request: ZBulkDeliveryLineSchema,
  requestContentType: BULK_CONTENT_TYPE,
  requestExample: {
    idempotencyKey: "sl-2026-000123",
    document: {
      type: "life-insurance-deduction-certificate",
      recipient: { partnerRef: "SL-2026-000123" },
      payload: EXAMPLE_PAYLOADS["life-insurance-deduction-certificate"],
      signature: "MIIG…(base64 DER)",
    },
  },
  responses: [
    {
      status: 200,
      description: "Streamed NDJSON: one result line per input line, then a summary line.",
      schema: ZBulkResultLineSchema,
      contentType: BULK_CONTENT_TYPE,
    },
  ],
  errors: [
    "UNAUTHENTICATED",
    "PARTNER_CREDENTIAL_INVALID",
    "FORBIDDEN",
    "RATE_LIMITED",
    "PAYLOAD_TOO_LARGE",
    "UNSUPPORTED_MEDIA_TYPE",
    "PARTNER_INACTIVE",
  ],
} satisfies TOperationMeta;
