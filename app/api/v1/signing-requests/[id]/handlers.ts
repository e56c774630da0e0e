import { getSigningRequestForPartner } from "@/lib/services/signing-requests/partner-signing-requests";
import { ZSigningRequest } from "@/lib/services/signing-requests/schemas";
import type { TApiDeps } from "../../_lib/with-partner";
import { withPartner } from "../../_lib/with-partner";
import { getSigningRequestMeta } from "./schema";

type TRouteContext = { params: Promise<{ id: string }> };

/** GET /api/v1/signing-requests/{id} – one signing request of the partner, with the CMS once signed. */
export function createGetSigningRequestHandler(deps: TApiDeps) {
  return withPartner(getSigningRequestMeta.scope, deps, async (_request, ctx, route: TRouteContext) => {
    const { id } = await route.params;
    const dto = await getSigningRequestForPartner(ctx.prisma, {
      partner: {
        partnerId: ctx.credential.partnerId,
        credentialId: ctx.credential.credentialId,
        mode: ctx.credential.mode,
      },
      signingRequestId: id,
      requestMetadata: ctx.requestMetadata,
      now: ctx.now,
    });
    return Response.json(ZSigningRequest.parse(dto), { headers: { "Cache-Control": "no-store" } });
  });
}
