import { z } from "zod";
import { createWatch } from "@/lib/platform/change/create-watch";
import { listWatches } from "@/lib/platform/change/list-watches";
import { ZWatch } from "@/lib/platform/schemas";
import type { TPlatformApiDeps } from "../_lib/platform-api";
import { readJsonBody } from "../_lib/read-json-body";
import { withPartner } from "../_lib/with-partner";
import { createWatchMeta, listWatchesMeta, ZWatchListResponseSchema } from "./schema";

const ZStatusFilter = z.enum(["active", "revoked", "cancelled"]).optional();

/** POST /api/v1/watches – watch the signing certificate of a verified identity verification. */
export function createCreateWatchHandler(deps: TPlatformApiDeps) {
  return withPartner(createWatchMeta.scope, deps, async (request, ctx) => {
    const body = await readJsonBody(request, 16 * 1024);
    const { watch, created } = await createWatch(await deps.getContext(), {
      partner: ctx.credential,
      request: body,
      requestMetadata: ctx.requestMetadata,
    });
    return Response.json(ZWatch.parse(watch), {
      status: created ? 201 : 200,
      headers: { Location: `/api/v1/watches/${watch.id}` },
    });
  });
}

/** GET /api/v1/watches – the partner's watches. */
export function createListWatchesHandler(deps: TPlatformApiDeps) {
  return withPartner(listWatchesMeta.scope, deps, async (request, ctx) => {
    const status = ZStatusFilter.parse(new URL(request.url).searchParams.get("status") ?? undefined);
    const data = await listWatches(await deps.getContext(), {
      partnerId: ctx.credential.partnerId,
      mode: ctx.credential.mode,
      status: status ? (status.toUpperCase() as "ACTIVE" | "REVOKED" | "CANCELLED") : undefined,
    });
    return Response.json(ZWatchListResponseSchema.parse({ data }), { headers: { "Cache-Control": "no-store" } });
  });
}
