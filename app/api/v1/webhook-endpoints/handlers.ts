import { createWebhookEndpoint } from "@/lib/platform/webhooks/create-webhook-endpoint";
import { listWebhookEndpoints } from "@/lib/platform/webhooks/list-webhook-endpoints";
import type { TPlatformApiDeps } from "../_lib/platform-api";
import { readJsonBody } from "../_lib/read-json-body";
import { withPartner } from "../_lib/with-partner";
import {
  createWebhookEndpointMeta,
  listWebhookEndpointsMeta,
  ZCreatedWebhookEndpointSchema,
  ZWebhookEndpointListSchema,
} from "./schema";

/** POST /api/v1/webhook-endpoints – register a receiver; the signing secret is returned once. */
export function createCreateWebhookEndpointHandler(deps: TPlatformApiDeps) {
  return withPartner(createWebhookEndpointMeta.scope, deps, async (request, ctx) => {
    const body = await readJsonBody(request, 16 * 1024);
    const { endpoint, secret } = await createWebhookEndpoint(await deps.getContext(), {
      partnerId: ctx.credential.partnerId,
      // The endpoint takes the registering credential's side (TEST: sandbox events only).
      mode: ctx.credential.mode,
      request: body,
      requestMetadata: ctx.requestMetadata,
    });
    return Response.json(ZCreatedWebhookEndpointSchema.parse({ ...endpoint, secret }), {
      status: 201,
      headers: { "Cache-Control": "no-store" },
    });
  });
}

/** GET /api/v1/webhook-endpoints – the partner's endpoints. */
export function createListWebhookEndpointsHandler(deps: TPlatformApiDeps) {
  return withPartner(listWebhookEndpointsMeta.scope, deps, async (_request, ctx) => {
    const data = await listWebhookEndpoints(await deps.getContext(), {
      partnerId: ctx.credential.partnerId,
      mode: ctx.credential.mode,
    });
    return Response.json(ZWebhookEndpointListSchema.parse({ data }), { headers: { "Cache-Control": "no-store" } });
  });
}
