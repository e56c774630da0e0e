import { AppError } from "../../errors/app-error";
import { createLog } from "../../log/logger";
import { nowOf, type TPlatformContext, type TWebhookSettings } from "../platform-context";
import { sendWebhook, type TSendOutcome } from "./send-webhook";
import { openWebhookSecret } from "./webhook-secret";
import { webhooksAllowPrivate } from "./webhook-address";

const log = createLog("platform/webhooks");

export type DispatchWebhookDeliveriesOptions = {
  /** Most deliveries claimed in one call (default 100). */
  limit?: number;
  /** Parallel HTTP requests (default 8). */
  concurrency?: number;
};

export type TDispatchResult = { claimed: number; delivered: number; retried: number; dead: number };

type TClaimed = {
  id: string;
  eventId: string;
  endpointId: string;
  attempts: number;
  url: string;
  secret: string;
  payload: unknown;
};

/** Delay before attempt n+1 after n failures: base·2^(n−1), capped, with ±10 % jitter. */
export function backoffMs(failures: number, s: Pick<TWebhookSettings, "backoffBaseMs" | "maxBackoffMs">): number {
  const raw = Math.min(s.backoffBaseMs * 2 ** Math.max(0, failures - 1), s.maxBackoffMs);
  return Math.round(raw * (0.9 + Math.random() * 0.2));
}

/**
 * Claims due deliveries (PENDING and due, or SENDING whose claim expired because a sender
 * died) with `FOR UPDATE SKIP LOCKED`, so any number of dispatchers on any number of app servers
 * share the queue without taking the same row. Each claimed delivery is sent once; the attempt
 * goes to the delivery log (WebhookAttempt); a 2xx marks it DELIVERED (never sent again by the
 * schedule), a failure schedules the next attempt with exponential backoff, and the
 * `maxAttempts`-th failure dead-letters it (DEAD, replayable by id).
 */
export async function dispatchWebhookDeliveries(
  ctx: TPlatformContext,
  options: DispatchWebhookDeliveriesOptions = {},
): Promise<TDispatchResult> {
  const settings = ctx.webhooks;
  const now = nowOf(ctx);
  const limit = options.limit ?? 100;
  // Timestamps are passed as UTC text and turned into the naive UTC timestamps Prisma stores,
  // whatever the session time zone.
  const nowText = now.toISOString();
  const claimUntil = new Date(now.getTime() + settings.claimMs).toISOString();
  const claimed = await ctx.prisma.$queryRaw<TClaimed[]>`
    WITH due AS (
      SELECT d.id FROM "WebhookDelivery" d
      JOIN "WebhookEndpoint" e ON e.id = d."endpointId" AND e.active
      WHERE (d.status = 'PENDING' AND d."nextAttemptAt" <= (${nowText}::timestamptz AT TIME ZONE 'UTC'))
         OR (d.status = 'SENDING' AND d."lockedUntil" < (${nowText}::timestamptz AT TIME ZONE 'UTC'))
      ORDER BY d."nextAttemptAt"
      LIMIT ${limit}
      FOR UPDATE OF d SKIP LOCKED
    )
    UPDATE "WebhookDelivery" w
       SET status = 'SENDING', "lockedUntil" = (${claimUntil}::timestamptz AT TIME ZONE 'UTC')
      FROM due, "WebhookEndpoint" e, "WebhookEvent" ev
     WHERE w.id = due.id AND e.id = w."endpointId" AND ev.id = w."eventId"
    RETURNING w.id, w."eventId", w."endpointId", w.attempts, e.url, e.secret, ev.payload`;
  const result: TDispatchResult = { claimed: claimed.length, delivered: 0, retried: 0, dead: 0 };
  const queue = [...claimed];
  const worker = async () => {
    for (let d = queue.shift(); d; d = queue.shift()) {
      const outcome = await attemptDelivery(ctx, {
        id: d.id,
        endpointId: d.endpointId,
        url: d.url,
        storedSecret: d.secret,
        payload: d.payload,
      });
      const status = await recordAttempt(ctx, d, outcome, { replay: false });
      if (status === "DELIVERED") result.delivered++;
      else if (status === "DEAD") result.dead++;
      else result.retried++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 8, queue.length) }, worker));
  return result;
}

/**
 * One attempt of one delivery: decrypts the endpoint's signing secret and sends. A secret that
 * does not decrypt (wrong SECRETS_ENCRYPTION_KEY, tampered row) is logged and becomes a failed
 * attempt with SECRET_UNREADABLE — retried and dead-lettered like any failure, so fixing the key
 * and replaying recovers it — and never stops the dispatcher.
 */
export async function attemptDelivery(
  ctx: TPlatformContext,
  d: { id: string; endpointId: string; url: string; storedSecret: string; payload: unknown },
): Promise<TSendOutcome> {
  let secret: string;
  try {
    secret = openWebhookSecret(ctx, d.endpointId, d.storedSecret);
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    log.error(
      { code: e.code, endpointId: d.endpointId, deliveryId: d.id, message: e.message },
      "webhook signing secret does not decrypt; delivery not sent",
    );
    return { ok: false, error: "SECRET_UNREADABLE", durationMs: 0 };
  }
  const outcome = await sendWebhook({
    url: d.url,
    secret,
    id: d.id,
    body: JSON.stringify(d.payload),
    timestamp: nowOf(ctx),
    timeoutMs: ctx.webhooks.timeoutMs,
    allowPrivate: webhooksAllowPrivate(ctx.webhooks),
    resolve: ctx.webhooks.resolve,
    connect: ctx.webhooks.connect,
  });
  if (outcome.error === "WEBHOOK_ADDRESS_FORBIDDEN") {
    log.warn(
      { code: outcome.error, endpointId: d.endpointId, deliveryId: d.id },
      "webhook endpoint resolves to a non-public address; delivery not sent",
    );
  }
  return outcome;
}

/**
 * Writes one attempt to the log and moves the delivery on. The update is conditional on the row
 * still being ours (SENDING with the attempt count we claimed), so a slow sender whose claim
 * expired and was retaken cannot overwrite the newer outcome.
 */
export async function recordAttempt(
  ctx: TPlatformContext,
  d: { id: string; attempts: number },
  outcome: TSendOutcome,
  o: { replay: boolean },
): Promise<"DELIVERED" | "PENDING" | "DEAD"> {
  const settings = ctx.webhooks;
  const now = nowOf(ctx);
  const attempts = d.attempts + 1;
  const next: "DELIVERED" | "PENDING" | "DEAD" = outcome.ok
    ? "DELIVERED"
    : o.replay || attempts >= settings.maxAttempts
      ? "DEAD"
      : "PENDING";
  await ctx.prisma.$transaction([
    ctx.prisma.webhookAttempt.create({
      data: {
        deliveryId: d.id,
        attempt: attempts,
        startedAt: new Date(now.getTime() - outcome.durationMs),
        durationMs: outcome.durationMs,
        statusCode: outcome.statusCode ?? null,
        error: outcome.error ?? null,
        replay: o.replay,
      },
    }),
    ctx.prisma.webhookDelivery.updateMany({
      where: { id: d.id, status: "SENDING", attempts: d.attempts },
      data: {
        status: next,
        attempts,
        lockedUntil: null,
        lastStatusCode: outcome.statusCode ?? null,
        lastError: outcome.error ?? null,
        ...(next === "DELIVERED" ? { deliveredAt: now } : {}),
        ...(next === "DEAD" ? { deadAt: now } : {}),
        ...(next === "PENDING" ? { nextAttemptAt: new Date(now.getTime() + backoffMs(attempts, settings)) } : {}),
      },
    }),
  ]);
  return next;
}
