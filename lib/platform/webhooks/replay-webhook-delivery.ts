import type { TCredentialMode } from "../../credential-mode/credential-mode";
import { isUuid } from "../../db/ids";
import { AppError } from "../../errors/app-error";
import { nowOf, type TPlatformContext } from "../platform-context";
import type { TWebhookDeliveryDto } from "../schemas";
import { attemptDelivery, recordAttempt } from "./dispatch-webhook-deliveries";
import { getWebhookDeliveryOrThrow } from "./list-webhook-deliveries";

/**
 * Replays a dead-lettered delivery now (redelivery by id, from the console or the API), under
 * its original webhook-id so the receiver's deduplication still holds. One attempt, logged with
 * `replay: true`: success marks it DELIVERED, failure leaves it DEAD (replayable again).
 *
 * A delivered message is never sent again — the guarantee is "never delivered twice under the
 * same webhook-id" — and one that is pending or being sent is already on its way:
 * both are WEBHOOK_DELIVERY_NOT_REPLAYABLE. Another partner's delivery is NOT_FOUND.
 */
export async function replayWebhookDelivery(
  ctx: TPlatformContext,
  options: { partnerId: string; deliveryId: string; endpointId?: string; mode?: TCredentialMode },
): Promise<TWebhookDeliveryDto> {
  // An endpoint id that is not a uuid: NOT_FOUND (getWebhookDeliveryOrThrow), before the claim's query.
  if (options.endpointId !== undefined && !isUuid(options.endpointId)) await getWebhookDeliveryOrThrow(ctx, options);
  const claimUntil = new Date(nowOf(ctx).getTime() + ctx.webhooks.claimMs);
  // Claim it the same way the dispatcher does: only a DEAD row of this partner flips to SENDING.
  const claimed = await ctx.prisma.webhookDelivery.updateManyAndReturn({
    where: {
      id: options.deliveryId,
      partnerId: options.partnerId,
      status: "DEAD",
      ...(options.endpointId ? { endpointId: options.endpointId } : {}),
      ...(options.mode ? { endpoint: { mode: options.mode } } : {}),
    },
    data: { status: "SENDING", lockedUntil: claimUntil },
    select: { id: true, attempts: true, endpointId: true, eventId: true },
  });
  const d = claimed[0];
  if (!d) {
    await getWebhookDeliveryOrThrow(ctx, options);
    throw new AppError("WEBHOOK_DELIVERY_NOT_REPLAYABLE");
  }
  const [endpoint, event] = await Promise.all([
    ctx.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: d.endpointId }, select: { url: true, secret: true } }),
    ctx.prisma.webhookEvent.findUniqueOrThrow({ where: { id: d.eventId }, select: { payload: true } }),
  ]);
  const outcome = await attemptDelivery(ctx, {
    id: d.id,
    endpointId: d.endpointId,
    url: endpoint.url,
    storedSecret: endpoint.secret,
    payload: event.payload,
  });
  await recordAttempt(ctx, d, outcome, { replay: true });
  return getWebhookDeliveryOrThrow(ctx, options);
}
