import type { TCredentialMode } from "../../credential-mode/credential-mode";
import { appendAuditEvent } from "../../audit/append-audit-event";
import type { TRequestMetadata } from "../../audit/schemas";
import type { TPlatformContext } from "../platform-context";
import type { TWebhookDeliveryDto, TWebhookEndpointDto } from "../schemas";
import { createWebhookEndpoint } from "./create-webhook-endpoint";
import { disableWebhookEndpoint } from "./disable-webhook-endpoint";
import { replayWebhookDelivery } from "./replay-webhook-delivery";
import { assertPartnerRole, type TPartnerActingUser } from "../../partners/partner-roles";

/**
 * The partner console's webhook actions: the platform's own use cases (lib/platform/webhooks),
 * the role check ("webhook.manage": OWNER and DEVELOPER), and an audit event with channel
 * "console" and the partner user who acted.
 */
type TConsoleActor = { partnerId: string; partnerUser: TPartnerActingUser; requestMetadata?: TRequestMetadata };

async function assertWebhookRole(ctx: TPlatformContext, actor: TConsoleActor, data: Record<string, string>) {
  await assertPartnerRole(ctx.prisma, {
    partnerId: actor.partnerId,
    partnerUser: actor.partnerUser,
    action: "webhook.manage",
    requestMetadata: actor.requestMetadata,
    data,
  });
}

async function audit(ctx: TPlatformContext, actor: TConsoleActor, data: Record<string, string>) {
  await ctx.prisma.$transaction((tx) =>
    appendAuditEvent(tx, {
      type: "partner.webhook_changed",
      actor: { type: "partner", id: actor.partnerId },
      channel: "console",
      requestMetadata: actor.requestMetadata,
      data: { ...data, partnerUserId: actor.partnerUser.id },
    }),
  );
}

/** Disable one of the partner's endpoints from the console (NOT_FOUND for another partner's). */
export async function disableEndpointFromConsole(
  ctx: TPlatformContext,
  options: TConsoleActor & { endpointId: string },
): Promise<TWebhookEndpointDto> {
  await assertWebhookRole(ctx, options, { operation: "webhook_endpoint_disabled", endpointId: options.endpointId });
  const endpoint = await disableWebhookEndpoint(ctx, { partnerId: options.partnerId, endpointId: options.endpointId });
  await audit(ctx, options, { operation: "webhook_endpoint_disabled", endpointId: endpoint.id });
  return endpoint;
}

/**
 * Replay a dead-lettered delivery from the console: one attempt now under the original webhook-id
 * (WEBHOOK_DELIVERY_NOT_REPLAYABLE for a pending or delivered one). The attempt is audited
 * whatever its outcome.
 */
export async function replayDeliveryFromConsole(
  ctx: TPlatformContext,
  options: TConsoleActor & { endpointId: string; deliveryId: string },
): Promise<TWebhookDeliveryDto> {
  await assertWebhookRole(ctx, options, { operation: "webhook_delivery_replayed", deliveryId: options.deliveryId });
  const delivery = await replayWebhookDelivery(ctx, {
    partnerId: options.partnerId,
    endpointId: options.endpointId,
    deliveryId: options.deliveryId,
  });
  await audit(ctx, options, {
    operation: "webhook_delivery_replayed",
    endpointId: options.endpointId,
    deliveryId: delivery.id,
    outcome: delivery.status,
  });
  return delivery;
}

/**
 * Register an endpoint from the console (lib/platform createWebhookEndpoint: WEBHOOK_URL_INVALID,
 * WEBHOOK_ADDRESS_FORBIDDEN, WEBHOOK_HOST_UNRESOLVABLE, VALIDATION_FAILED); the signing secret is
 * returned once.
 */
export async function createEndpointFromConsole(
  ctx: TPlatformContext,
  options: TConsoleActor & { request: unknown; mode: TCredentialMode },
): Promise<{ endpoint: TWebhookEndpointDto; secret: string }> {
  await assertWebhookRole(ctx, options, { operation: "webhook_endpoint_created" });
  // Audited inside the creating transaction, as the console (not the API) with the user who acted.
  return createWebhookEndpoint(ctx, {
    partnerId: options.partnerId,
    mode: options.mode,
    request: options.request,
    requestMetadata: options.requestMetadata,
    via: { channel: "console", partnerUserId: options.partnerUser.id },
  });
}
