import { z } from "zod";
import { ZDocumentReceipt } from "@/lib/mailbox/schemas";
import type { TOperationMeta } from "../../_lib/operation";

export const ZGetDocumentReceiptParamsSchema = z.object({ id: z.uuid() });

export const ZGetDocumentReceiptResponseSchema = ZDocumentReceipt;

export const getDocumentReceiptMeta = {
  method: "get",
  path: "/api/v1/documents/{id}",
  operationId: "getDocumentReceipt",
  summary: "Status and receipt of a document you delivered",
  description:
    "`status` is one of `delivered`, `opened` (with `openedAt`), `shared` or `expired`, by precedence: `expired` (past `expiresAt`) wins, then `shared` (the resident shared it with a partner or by a one-time link), then `opened`, else `delivered`. Refused deliveries are not documents: list them with GET /api/v1/delivery-failures (`failed`). Documents delivered by other partners are `NOT_FOUND`, like ids that do not exist.",
  scope: "documents:status",
  pathParams: ZGetDocumentReceiptParamsSchema,
  responses: [{ status: 200, description: "The receipt.", schema: ZGetDocumentReceiptResponseSchema }],
  errors: ["UNAUTHENTICATED", "PARTNER_CREDENTIAL_INVALID", "FORBIDDEN", "RATE_LIMITED", "NOT_FOUND"],
} satisfies TOperationMeta;
