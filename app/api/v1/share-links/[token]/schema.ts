import { z } from "zod";
import { ZSignedDocumentBundle } from "@/lib/mailbox/schemas";
import type { TPublicOperationMeta } from "../../_lib/operation";

export const redeemShareLinkMeta = {
  method: "get",
  path: "/api/v1/share-links/{token}",
  operationId: "redeemShareLink",
  summary: "Redeem a one-time share link",
  description:
    "No authentication: the 256-bit token is the credential. Works once; the resident sees the redemption in their access log.",
  pathParams: z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/) }),
  responses: [{ status: 200, description: "The signed document.", schema: ZSignedDocumentBundle }],
  errors: ["SHARE_NOT_FOUND", "SHARE_USED", "SHARE_REVOKED", "SHARE_EXPIRED"],
} satisfies TPublicOperationMeta;
