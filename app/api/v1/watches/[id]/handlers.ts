import { cancelWatch } from "@/lib/platform/change/cancel-watch";
import { getWatchOrThrow } from "@/lib/platform/change/get-watch";
import { ZWatch } from "@/lib/platform/schemas";
import type { TPlatformApiDeps } from "../../_lib/platform-api";
import { withPartner } from "../../_lib/with-partner";
import { cancelWatchMeta, getWatchMeta } from "./schema";

type TRouteContext = { params: Promise<{ id: string }> };

/** GET /api/v1/watches/{id} – one watch of the partner. */
export function createGetWatchHandler(deps: TPlatformApiDeps) {
  return withPartner(getWatchMeta.scope, deps, async (_request, ctx, route: TRouteContext) => {
    const { id } = await route.params;
    const watch = await getWatchOrThrow(await deps.getContext(), {
      partnerId: ctx.credential.partnerId,
      watchId: id,
      mode: ctx.credential.mode,
    });
    return Response.json(ZWatch.parse(watch), { headers: { "Cache-Control": "no-store" } });
  });
}

/** POST /api/v1/watches/{id}/cancel – stop watching. */
export function createCancelWatchHandler(deps: TPlatformApiDeps) {
  return withPartner(cancelWatchMeta.scope, deps, async (_request, ctx, route: TRouteContext) => {
    const { id } = await route.params;
    const watch = await cancelWatch(await deps.getContext(), {
      partnerId: ctx.credential.partnerId,
      watchId: id,
      mode: ctx.credential.mode,
    });
    return Response.json(ZWatch.parse(watch));
  });
}
