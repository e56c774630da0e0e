import { z } from "zod";
import type { TOperationMeta } from "../_lib/operation";

export const ZListSharesResponseSchema = z.object({
  shares: z.array(
    z.object({
      shareId: z.uuid(),
      documentType: z.string(),
      documentTitle: z.object({ ja: z.string(), en: z.string() }),
      issuer: z.string(),
      sharedAt: z.iso.datetime(),
      expiresAt: z.iso.datetime(),
      fetchedAt: z.iso.datetime().nullable(),
    }),
  ),
});

export const listSharesMeta = {
  method: "get",
  path: "/api/v1/shares",
  operationId: "listShares",
  summary: "Documents residents shared with you",
  description:
    "Open shares (not revoked, not expired), newest first, with the document type and issuer only. Fetch one with GET /api/v1/shares/{id}.",
  scope: "documents:receive",
  responses: [{ status: 200, description: "The open shares.", schema: ZListSharesResponseSchema }],
  errors: ["UNAUTHENTICATED", "PARTNER_CREDENTIAL_INVALID", "FORBIDDEN", "RATE_LIMITED"],
} satisfies TOperationMeta;
