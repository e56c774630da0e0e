import { getIdentityVerificationOrThrow } from "@/lib/platform/identity/get-identity-verification";
import { ZIdentityVerification } from "@/lib/platform/schemas";
import { withPartner } from "../../_lib/with-partner";
import type { TPlatformApiDeps } from "../../_lib/platform-api";
import { getIdentityVerificationMeta } from "./schema";

type TRouteContext = { params: Promise<{ id: string }> };

/** GET /api/v1/identity-verifications/{id} – the verification again, for the partner that made it. */
export function createGetIdentityVerificationHandler(deps: TPlatformApiDeps) {
  return withPartner(getIdentityVerificationMeta.scope, deps, async (_request, ctx, route: TRouteContext) => {
    const { id } = await route.params;
    const verification = await getIdentityVerificationOrThrow(await deps.getContext(), {
      partner: ctx.credential,
      verificationId: id,
      requestMetadata: ctx.requestMetadata,
    });
    return Response.json(ZIdentityVerification.parse(verification), { headers: { "Cache-Control": "no-store" } });
  });
}
