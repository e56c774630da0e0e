import { z } from "zod";
import { ZWebhookDelivery, ZWebhookEndpoint } from "@/lib/platform/schemas";
import { PARTNER_AUTH_ERRORS, ZIdParamsSchema } from "../../_lib/platform-api";
import type { TOperationMeta } from "../../_lib/operation";

export const ZDeliveryParamsSchema = z.object({
  id: z.uuid(),
  deliveryId: z.string().regex(/^msg_[A-Za-z0-9_-]{1,64}$/),
});
export const ZWebhookDeliveryListSchema = z.object({ data: z.array(ZWebhookDelivery) });

export const disableWebhookEndpointMeta: TOperationMeta = {
  method: "post",
  path: "/api/v1/webhook-endpoints/{id}/disable",
  operationId: "disableWebhookEndpoint",
  summary: "Disable a webhook endpoint",
  description: "No further messages are sent to it; queued ones are kept, not dropped.",
  scope: "webhooks:manage",
  pathParams: ZIdParamsSchema,
  responses: [{ status: 200, description: "The endpoint, inactive.", schema: ZWebhookEndpoint }],
  errors: [...PARTNER_AUTH_ERRORS, "NOT_FOUND"],
};

export const listWebhookDeliveriesMeta: TOperationMeta = {
  method: "get",
  path: "/api/v1/webhook-endpoints/{id}/deliveries",
  operationId: "listWebhookDeliveries",
  summary: "Delivery log of an endpoint",
  description:
    "Newest first, at most 50: each message with its status (`pending`, `sending`, `delivered`, `dead`), attempts, last status code and last error code (`WEBHOOK_RECEIVER_UNREACHABLE`, `WEBHOOK_RECEIVER_TIMEOUT`, `WEBHOOK_RECEIVER_REJECTED`, `WEBHOOK_ADDRESS_FORBIDDEN` when the receiver's host resolves to a non-public address, `SECRET_UNREADABLE` when the platform could not decrypt the signing secret).",
  scope: "webhooks:manage",
  pathParams: ZIdParamsSchema,
  responses: [{ status: 200, description: "The delivery log.", schema: ZWebhookDeliveryListSchema }],
  errors: [...PARTNER_AUTH_ERRORS, "NOT_FOUND"],
};

export const getWebhookDeliveryMeta: TOperationMeta = {
  method: "get",
  path: "/api/v1/webhook-endpoints/{id}/deliveries/{deliveryId}",
  operationId: "getWebhookDelivery",
  summary: "One delivery with every attempt",
  description: "`deliveryId` is the `webhook-id` your receiver saw.",
  scope: "webhooks:manage",
  pathParams: ZDeliveryParamsSchema,
  responses: [{ status: 200, description: "The delivery and its attempts.", schema: ZWebhookDelivery }],
  errors: [...PARTNER_AUTH_ERRORS, "NOT_FOUND"],
};

export const replayWebhookDeliveryMeta: TOperationMeta = {
  method: "post",
  path: "/api/v1/webhook-endpoints/{id}/deliveries/{deliveryId}/replay",
  operationId: "replayWebhookDelivery",
  summary: "Replay a dead-lettered delivery",
  description:
    "Sends the message once more, now, under its original `webhook-id`. Only `dead` deliveries can be replayed: a delivered message is never sent twice, and a pending one is already on its way (`WEBHOOK_DELIVERY_NOT_REPLAYABLE`).",
  scope: "webhooks:manage",
  pathParams: ZDeliveryParamsSchema,
  responses: [{ status: 200, description: "The delivery after the attempt.", schema: ZWebhookDelivery }],
  errors: [...PARTNER_AUTH_ERRORS, "NOT_FOUND", "WEBHOOK_DELIVERY_NOT_REPLAYABLE"],
};
