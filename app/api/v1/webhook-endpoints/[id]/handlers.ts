import { ZWebhookDelivery, ZWebhookEndpoint } from "@/lib/platform/schemas";
import { disableWebhookEndpoint } from "@/lib/platform/webhooks/disable-webhook-endpoint";
import { getWebhookDeliveryOrThrow, listWebhookDeliveries } from "@/lib/platform/webhooks/list-webhook-deliveries";
import { replayWebhookDelivery } from "@/lib/platform/webhooks/replay-webhook-delivery";
import type { TPlatformApiDeps } from "../../_lib/platform-api";
import { withPartner } from "../../_lib/with-partner";
import {
  disableWebhookEndpointMeta,
  getWebhookDeliveryMeta,
  listWebhookDeliveriesMeta,
  replayWebhookDeliveryMeta,
  ZWebhookDeliveryListSchema,
} from "./schema";

type TEndpointRoute = { params: Promise<{ id: string }> };
type TDeliveryRoute = { params: Promise<{ id: string; deliveryId: string }> };

/** POST /api/v1/webhook-endpoints/{id}/disable – stop sending to an endpoint. */
export function createDisableWebhookEndpointHandler(deps: TPlatformApiDeps) {
  return withPartner(disableWebhookEndpointMeta.scope, deps, async (_request, ctx, route: TEndpointRoute) => {
    const { id } = await route.params;
    const endpoint = await disableWebhookEndpoint(await deps.getContext(), {
      partnerId: ctx.credential.partnerId,
      mode: ctx.credential.mode,
      endpointId: id,
    });
    return Response.json(ZWebhookEndpoint.parse(endpoint));
  });
}

/** GET /api/v1/webhook-endpoints/{id}/deliveries – the delivery log of one endpoint. */
export function createListWebhookDeliveriesHandler(deps: TPlatformApiDeps) {
  return withPartner(listWebhookDeliveriesMeta.scope, deps, async (_request, ctx, route: TEndpointRoute) => {
    const { id } = await route.params;
    const data = await listWebhookDeliveries(await deps.getContext(), {
      partnerId: ctx.credential.partnerId,
      mode: ctx.credential.mode,
      endpointId: id,
    });
    return Response.json(ZWebhookDeliveryListSchema.parse({ data }), { headers: { "Cache-Control": "no-store" } });
  });
}

/** GET /api/v1/webhook-endpoints/{id}/deliveries/{deliveryId} – one delivery with its attempts. */
export function createGetWebhookDeliveryHandler(deps: TPlatformApiDeps) {
  return withPartner(getWebhookDeliveryMeta.scope, deps, async (_request, ctx, route: TDeliveryRoute) => {
    const { id, deliveryId } = await route.params;
    const delivery = await getWebhookDeliveryOrThrow(await deps.getContext(), {
      partnerId: ctx.credential.partnerId,
      mode: ctx.credential.mode,
      endpointId: id,
      deliveryId,
    });
    return Response.json(ZWebhookDelivery.parse(delivery), { headers: { "Cache-Control": "no-store" } });
  });
}

/** POST /api/v1/webhook-endpoints/{id}/deliveries/{deliveryId}/replay – send a dead message again. */
export function createReplayWebhookDeliveryHandler(deps: TPlatformApiDeps) {
  return withPartner(replayWebhookDeliveryMeta.scope, deps, async (_request, ctx, route: TDeliveryRoute) => {
    const { id, deliveryId } = await route.params;
    const delivery = await replayWebhookDelivery(await deps.getContext(), {
      partnerId: ctx.credential.partnerId,
      mode: ctx.credential.mode,
      endpointId: id,
      deliveryId,
    });
    return Response.json(ZWebhookDelivery.parse(delivery));
  });
}
