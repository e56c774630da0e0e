import { ZIdentityVerification } from "@/lib/platform/schemas";
import type { TOperationMeta } from "../../_lib/operation";
import { PARTNER_AUTH_ERRORS, ZIdParamsSchema } from "../../_lib/platform-api";

export const getIdentityVerificationMeta: TOperationMeta = {
  method: "get",
  path: "/api/v1/identity-verifications/{id}",
  operationId: "getIdentityVerification",
  summary: "Fetch an identity verification again",
  description:
    "The verification as it was made (verified or rejected). Facts only for credentials with `identity:facts`, and not while the resident is a protected person (支援措置). Verifications of other partners are `NOT_FOUND`, like ids that do not exist.",
  scope: "identity:verify",
  pathParams: ZIdParamsSchema,
  responses: [{ status: 200, description: "The verification.", schema: ZIdentityVerification }],
  errors: [...PARTNER_AUTH_ERRORS, "NOT_FOUND"],
};
