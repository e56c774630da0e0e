import { randomBytes } from "node:crypto";
import type { TCredentialMode } from "../../credential-mode/credential-mode";
import type { Prisma } from "../../db/client";
import type { TWebhookEventType } from "../schemas";

/** `msg_` + 24 random bytes (base64url): the webhook-id of a delivery (Standard Webhooks). */
export function newMessageId(): string {
  return `msg_${randomBytes(24).toString("base64url")}`;
}

/** `evt_` + 24 random bytes (base64url). */
export function newEventId(): string {
  return `evt_${randomBytes(24).toString("base64url")}`;
}

export type EnqueueWebhookEventOptions = {
  partnerId: string;
  /**
   * The side of the partner sandbox the event is about (a watch's: the mode of the credential
   * that registered it). Only endpoints of that mode receive it, so a TEST endpoint never gets an
   * event about a real resident, nor a LIVE one a sandbox event.
   */
  mode: TCredentialMode;
  type: TWebhookEventType;
  data: Prisma.InputJsonObject;
  now: Date;
};

/**
 * Queues an event for a partner inside the caller's transaction (the outbox pattern): the event
 * and one PENDING delivery per active endpoint of its mode that takes its type commit together with the
 * change they report, or not at all — so an event is never lost between the change and the queue.
 * The dispatcher (dispatch-webhook-deliveries.ts) sends them. The payload follows Standard
 * Webhooks: `{ type, timestamp, data }`.
 */
export async function enqueueWebhookEvent(
  tx: Prisma.TransactionClient,
  options: EnqueueWebhookEventOptions,
): Promise<{ eventId: string; deliveryIds: string[] }> {
  const eventId = newEventId();
  await tx.webhookEvent.create({
    data: {
      id: eventId,
      partnerId: options.partnerId,
      type: options.type,
      payload: { type: options.type, timestamp: options.now.toISOString(), data: options.data },
      createdAt: options.now,
    },
    select: { id: true },
  });
  const endpoints = await tx.webhookEndpoint.findMany({
    where: {
      partnerId: options.partnerId,
      mode: options.mode,
      active: true,
      OR: [{ eventTypes: { isEmpty: true } }, { eventTypes: { has: options.type } }],
    },
    select: { id: true },
  });
  const deliveries = endpoints.map((e) => ({
    id: newMessageId(),
    eventId,
    endpointId: e.id,
    partnerId: options.partnerId,
    nextAttemptAt: options.now,
  }));
  if (deliveries.length > 0) await tx.webhookDelivery.createMany({ data: deliveries });
  return { eventId, deliveryIds: deliveries.map((d) => d.id) };
}
