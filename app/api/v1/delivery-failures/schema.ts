import { z } from "zod";
import { ZDeliveryFailure } from "@/lib/mailbox/delivery-failures";
import type { TOperationMeta } from "../_lib/operation";

export const ZListDeliveryFailuresQuerySchema = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

export const ZListDeliveryFailuresResponseSchema = z.object({
  failures: z.array(ZDeliveryFailure),
  nextCursor: z.string().nullable().meta({ description: "Pass as `cursor` for the next page; null on the last" }),
});

export const listDeliveryFailuresMeta = {
  method: "get",
  path: "/api/v1/delivery-failures",
  operationId: "listDeliveryFailures",
  summary: "Your refused deliveries (status `failed`)",
  description: [
    "Every delivery refused by POST /api/v1/documents or by a line of POST /api/v1/documents/bulk, newest first: the error code and HTTP status, your idempotency key and bulk line, and the type and recipient as you sent them (nothing else of the payload). A refused delivery is not a document and has no receipt.",
    "A failure is not an idempotent answer: retrying with the same `Idempotency-Key` (e.g. after the resident linked you) delivers normally.",
    "Failures are kept for 90 days.",
    "Query: `limit` (1–100, default 50) and `cursor` (the `nextCursor` of the previous page).",
  ].join("\n\n"),
  scope: "documents:status",
  responses: [{ status: 200, description: "A page of failures.", schema: ZListDeliveryFailuresResponseSchema }],
  errors: ["UNAUTHENTICATED", "PARTNER_CREDENTIAL_INVALID", "FORBIDDEN", "RATE_LIMITED", "VALIDATION_FAILED"],
} satisfies TOperationMeta;
