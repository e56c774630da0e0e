import { z } from "zod";
import { ZCreateWebhookEndpointRequest, ZWebhookEndpoint } from "@/lib/platform/schemas";
import { PARTNER_AUTH_ERRORS } from "../_lib/platform-api";
import type { TOperationMeta } from "../_lib/operation";

export const ZCreatedWebhookEndpointSchema = ZWebhookEndpoint.extend({
  /** Standard Webhooks signing secret (`whsec_` + base64), shown only in this response. */
  secret: z.string().regex(/^whsec_/),
});

export const ZWebhookEndpointListSchema = z.object({ data: z.array(ZWebhookEndpoint) });

export const createWebhookEndpointMeta: TOperationMeta = {
  method: "post",
  path: "/api/v1/webhook-endpoints",
  operationId: "createWebhookEndpoint",
  summary: "Register a webhook endpoint",
  description: [
    "Events (`certificate.revoked`, …) are POSTed as JSON `{ type, timestamp, data }` and signed per the Standard Webhooks specification: headers `webhook-id` (the same on every retry of one message — deduplicate on it), `webhook-timestamp` (Unix seconds) and `webhook-signature` (`v1,` + base64 HMAC-SHA256 of `id.timestamp.body` with the base64-decoded part of the `whsec_` secret). Verify with any Standard Webhooks library.",
    "Any 2xx is success. Otherwise the message is retried with exponential backoff, then dead-lettered; dead deliveries can be replayed by id. The secret is returned once, here.",
    "The URL's host name is resolved when you register it: `WEBHOOK_ADDRESS_FORBIDDEN` if it is or resolves to a loopback, private, link-local or otherwise non-public address, `WEBHOOK_HOST_UNRESOLVABLE` if it does not resolve. Every delivery resolves it again and is refused (`WEBHOOK_ADDRESS_FORBIDDEN` in the delivery log) should the answer have changed to such an address.",
  ].join("\n\n"),
  scope: "webhooks:manage",
  request: ZCreateWebhookEndpointRequest,
  requestExample: { url: "https://hooks.example.jp/ichimai", eventTypes: ["certificate.revoked"] },
  responses: [{ status: 201, description: "Registered; keep the secret.", schema: ZCreatedWebhookEndpointSchema }],
  errors: [
    ...PARTNER_AUTH_ERRORS,
    "BAD_JSON",
    "UNSUPPORTED_MEDIA_TYPE",
    "TEXT_CHARACTER_FORBIDDEN",
    "VALIDATION_FAILED",
    "WEBHOOK_URL_INVALID",
    "WEBHOOK_ADDRESS_FORBIDDEN",
    "WEBHOOK_HOST_UNRESOLVABLE",
  ],
};

export const listWebhookEndpointsMeta: TOperationMeta = {
  method: "get",
  path: "/api/v1/webhook-endpoints",
  operationId: "listWebhookEndpoints",
  summary: "List your webhook endpoints",
  description: "Newest first; secrets are shown only by their last 4 characters.",
  scope: "webhooks:manage",
  responses: [{ status: 200, description: "Your endpoints.", schema: ZWebhookEndpointListSchema }],
  errors: PARTNER_AUTH_ERRORS,
};
