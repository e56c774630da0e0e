import { ZSignedDocumentBundle } from "@/lib/mailbox/schemas";
import { z } from "zod";
import type { TOperationMeta } from "../../_lib/operation";

export const ZGetSharedDocumentResponseSchema = ZSignedDocumentBundle.meta({
  description:
    "The original signed data. Verify offline: RFC 8785-canonicalise `payload`, then verify `signature.value` (detached CMS) over those bytes against the ichimai partner CA.",
});

export const getSharedDocumentMeta = {
  method: "get",
  path: "/api/v1/shares/{id}",
  operationId: "getSharedDocument",
  summary: "Fetch a document a resident shared with you",
  description:
    "Returns the document exactly as the issuer signed it, so you can verify the issuer's signature yourself. Each fetch is recorded in the resident's access log.",
  scope: "documents:receive",
  pathParams: z.object({ id: z.uuid() }),
  responses: [{ status: 200, description: "The signed document.", schema: ZGetSharedDocumentResponseSchema }],
  errors: [
    "UNAUTHENTICATED",
    "PARTNER_CREDENTIAL_INVALID",
    "FORBIDDEN",
    "RATE_LIMITED",
    "SHARE_NOT_FOUND",
    "SHARE_REVOKED",
    "SHARE_EXPIRED",
  ],
} satisfies TOperationMeta;
