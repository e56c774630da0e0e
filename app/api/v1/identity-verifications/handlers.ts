import { verifyIdentity } from "@/lib/platform/identity/verify-identity";
import { readJsonBody } from "../_lib/read-json-body";
import type { TPlatformApiDeps } from "../_lib/platform-api";
import { withPartner } from "../_lib/with-partner";
import {
  createIdentityVerificationMeta,
  MAX_IDENTITY_VERIFICATION_BODY_BYTES,
  ZIdentityVerificationResponseSchema,
} from "./schema";

/** POST /api/v1/identity-verifications – verify a resident-signed application (本人確認). */
export function createIdentityVerificationHandler(deps: TPlatformApiDeps) {
  return withPartner(createIdentityVerificationMeta.scope, deps, async (request, ctx) => {
    const body = await readJsonBody(request, MAX_IDENTITY_VERIFICATION_BODY_BYTES);
    const verification = await verifyIdentity(await deps.getContext(), {
      partner: ctx.credential,
      request: body,
      requestMetadata: ctx.requestMetadata,
    });
    return Response.json(ZIdentityVerificationResponseSchema.parse(verification), {
      status: 201,
      headers: { Location: `/api/v1/identity-verifications/${verification.id}`, "Cache-Control": "no-store" },
    });
  });
}
