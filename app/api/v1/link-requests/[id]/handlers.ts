import { getLinkRequestOrThrow } from "@/lib/links/partner-link-requests";
import { ZLinkRequest } from "@/lib/links/schemas";
import type { TApiDeps } from "../../_lib/with-partner";
import { withPartner } from "../../_lib/with-partner";
import { getLinkRequestMeta } from "./schema";

type TRouteContext = { params: Promise<{ id: string }> };

/** GET /api/v1/link-requests/{id} – one link request of the partner. */
export function createGetLinkRequestHandler(deps: TApiDeps) {
  return withPartner(getLinkRequestMeta.scope, deps, async (_request, ctx, route: TRouteContext) => {
    const { id } = await route.params;
    const dto = await getLinkRequestOrThrow(ctx.prisma, {
      partner: { partnerId: ctx.credential.partnerId, mode: ctx.credential.mode },
      linkRequestId: id,
      now: ctx.now,
    });
    return Response.json(ZLinkRequest.parse(dto), { headers: { "Cache-Control": "no-store" } });
  });
}
