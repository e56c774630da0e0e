import { ZSigningRequest } from "@/lib/services/signing-requests/schemas";
import type { TOperationMeta } from "../../_lib/operation";
import { PARTNER_AUTH_ERRORS, ZIdParamsSchema } from "../../_lib/platform-api";

export const getSigningRequestMeta: TOperationMeta = {
  method: "get",
  path: "/api/v1/signing-requests/{id}",
  operationId: "getSigningRequest",
  summary: "Read a signing request and, once signed, the resident's signature",
  description:
    "`pending`, `signed`, `declined` or `expired`. When `signed`, `signedData` is the CMS SignedData (CAdES-BES, base64 DER, content attached) the resident's card made over exactly `content`; ichimai verified it (the resident's own signing certificate, good at J-LIS) before storing it. Post it as `signedData` to `POST /api/v1/identity-verifications` to verify it yourself and get the four facts. Requests of other partners are `NOT_FOUND`, like ids that do not exist; reading a signed request is in the resident's access log.",
  scope: "signing:request",
  pathParams: ZIdParamsSchema,
  responses: [{ status: 200, description: "The request.", schema: ZSigningRequest }],
  errors: [...PARTNER_AUTH_ERRORS, "NOT_FOUND", "CREDENTIAL_MODE_MISMATCH"],
};
