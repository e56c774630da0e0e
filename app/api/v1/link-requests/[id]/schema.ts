import { ZLinkRequest } from "@/lib/links/schemas";
import type { TOperationMeta } from "../../_lib/operation";
import { PARTNER_AUTH_ERRORS, ZIdParamsSchema } from "../../_lib/platform-api";

export const getLinkRequestMeta: TOperationMeta = {
  method: "get",
  path: "/api/v1/link-requests/{id}",
  operationId: "getLinkRequest",
  summary: "Read a link request's status",
  description:
    "`pending` (waiting for the resident; `claimed` says whether a resident has it yet), `approved`, `refused` or `expired`. Requests of other partners are `NOT_FOUND`, like ids that do not exist. The claim code is never returned again.",
  scope: "links:write",
  pathParams: ZIdParamsSchema,
  responses: [{ status: 200, description: "The request.", schema: ZLinkRequest }],
  errors: [...PARTNER_AUTH_ERRORS, "NOT_FOUND", "CREDENTIAL_MODE_MISMATCH"],
};
