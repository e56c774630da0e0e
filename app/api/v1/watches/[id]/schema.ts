import { ZWatch } from "@/lib/platform/schemas";
import { PARTNER_AUTH_ERRORS, ZIdParamsSchema } from "../../_lib/platform-api";
import type { TOperationMeta } from "../../_lib/operation";

export const getWatchMeta: TOperationMeta = {
  method: "get",
  path: "/api/v1/watches/{id}",
  operationId: "getWatch",
  summary: "One watched certificate",
  description: "Status (`active`, `revoked` with reason and time, `cancelled`) and the time of the last check.",
  scope: "change:watch",
  pathParams: ZIdParamsSchema,
  responses: [{ status: 200, description: "The watch.", schema: ZWatch }],
  errors: [...PARTNER_AUTH_ERRORS, "NOT_FOUND"],
};

export const cancelWatchMeta: TOperationMeta = {
  method: "post",
  path: "/api/v1/watches/{id}/cancel",
  operationId: "cancelWatch",
  summary: "Stop watching a certificate",
  description: "An active watch becomes `cancelled` (kept for the record); a revoked one is returned as it is.",
  scope: "change:watch",
  pathParams: ZIdParamsSchema,
  responses: [{ status: 200, description: "The watch after cancelling.", schema: ZWatch }],
  errors: [...PARTNER_AUTH_ERRORS, "NOT_FOUND"],
};
