import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "../../../generated/prisma/client";
import { seedPartner } from "../../../prisma/seed/factories";
import { AppError } from "../../errors/app-error";
import { useTestDatabase } from "../../test/db";
import { DEFAULT_WEBHOOK_SETTINGS, type TPlatformContext, type TWebhookSettings } from "../platform-context";
import { startWebhookReceiver, type TWebhookReceiver, unreachableUrl } from "../test/webhook-receiver";
import { createWebhookEndpoint } from "./create-webhook-endpoint";
import { disableWebhookEndpoint } from "./disable-webhook-endpoint";
import { dispatchWebhookDeliveries } from "./dispatch-webhook-deliveries";
import { enqueueWebhookEvent } from "./enqueue-webhook-event";
import { getWebhookDeliveryOrThrow, listWebhookDeliveries } from "./list-webhook-deliveries";
import { replayWebhookDelivery } from "./replay-webhook-delivery";
import { assertWebhookUrl } from "./webhook-url";

function context(prisma: PrismaClient, webhooks: Partial<TWebhookSettings> = {}): TPlatformContext {
  return {
    prisma,
    signTrustAnchors: [],
    jlis: { baseUrl: "http://127.0.0.1:9/jlis", fetch, responderCertificates: [], crlPaths: new Map() },
    webhooks: { ...DEFAULT_WEBHOOK_SETTINGS, allowHttp: true, backoffBaseMs: 10, maxBackoffMs: 40, ...webhooks },
  };
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
  throw new Error("expected a rejection");
}

/** Dispatch until nothing is due and nothing waits for a retry (or `rounds` run out). */
async function drain(ctx: TPlatformContext, partnerId: string, rounds = 40): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await dispatchWebhookDeliveries(ctx);
    const open = await ctx.prisma.webhookDelivery.count({
      where: { partnerId, status: { in: ["PENDING", "SENDING"] } },
    });
    if (open === 0) return;
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("webhooks (Standard Webhooks signatures, outbox, retries, dead letters, replay)", () => {
  const db = useTestDatabase();
  let receiver: TWebhookReceiver;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
  });

  async function endpointFor(ctx: TPlatformContext, url: string, eventTypes?: string[]) {
    const partner = await seedPartner(ctx.prisma);
    const { endpoint, secret } = await createWebhookEndpoint(ctx, {
      partnerId: partner.id,
      request: { url, eventTypes },
    });
    return { partnerId: partner.id, endpoint, secret };
  }

  async function enqueue(ctx: TPlatformContext, partnerId: string, data: Record<string, string> = { n: "1" }) {
    return ctx.prisma.$transaction((tx) =>
      enqueueWebhookEvent(tx, { partnerId, type: "webhook.test", data, now: new Date() }),
    );
  }

  it("[WEBHOOK][SIGNATURE]: delivers once, signed so that the standardwebhooks verifier accepts it", async () => {
    const ctx = context(db().prisma);
    receiver.reset();
    const { partnerId, endpoint, secret } = await endpointFor(ctx, receiver.url);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(endpoint).not.toHaveProperty("secret");
    receiver.setSecret(secret);
    const { eventId, deliveryIds } = await enqueue(ctx, partnerId, { hello: "世界" });
    expect(deliveryIds).toHaveLength(1);
    expect(await dispatchWebhookDeliveries(ctx)).toMatchObject({ claimed: 1, delivered: 1 });
    const [got] = await receiver.waitFor(1);
    expect(got!.id).toBe(deliveryIds[0]);
    expect(got!.signature).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(got!.verified).toMatchObject({ type: "webhook.test", data: { hello: "世界" } });
    // Idempotency: a delivered message is never sent again, by the schedule or by a replay.
    expect(await dispatchWebhookDeliveries(ctx)).toMatchObject({ claimed: 0 });
    expect(await code(replayWebhookDelivery(ctx, { partnerId, deliveryId: deliveryIds[0]! }))).toBe(
      "WEBHOOK_DELIVERY_NOT_REPLAYABLE",
    );
    expect(receiver.received.filter((r) => r.id === deliveryIds[0])).toHaveLength(1);
    const d = await getWebhookDeliveryOrThrow(ctx, { partnerId, deliveryId: deliveryIds[0]! });
    expect(d).toMatchObject({
      status: "delivered",
      attempts: 1,
      eventId,
      eventType: "webhook.test",
      lastStatusCode: 204,
    });
    expect(d.log).toHaveLength(1);
    // A tampered body fails the verifier (the receiver test can fail).
    receiver.setSecret(`whsec_${Buffer.alloc(32, 7).toString("base64")}`);
    await enqueue(ctx, partnerId);
    await dispatchWebhookDeliveries(ctx);
    expect(receiver.received.at(-1)!.verifyError).toBeDefined();
    await disableWebhookEndpoint(ctx, { partnerId, endpointId: endpoint.id });
  });

  it("[WEBHOOK][DEAD_LETTER]: an unreachable receiver is retried with backoff, then dead-lettered; the log keeps each attempt", async () => {
    const ctx = context(db().prisma, { maxAttempts: 3 });
    const { partnerId, endpoint } = await endpointFor(ctx, await unreachableUrl());
    const { deliveryIds } = await enqueue(ctx, partnerId);
    const first = await dispatchWebhookDeliveries(ctx);
    expect(first).toMatchObject({ claimed: 1, retried: 1 });
    const pending = await ctx.prisma.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryIds[0]! } });
    expect([pending.status, pending.attempts]).toEqual(["PENDING", 1]);
    // The retry waits the backoff (base 10 ms here) after the failed attempt.
    expect(pending.nextAttemptAt.getTime()).toBeGreaterThan(pending.createdAt.getTime() + 8);
    await drain(ctx, partnerId);
    const d = await getWebhookDeliveryOrThrow(ctx, { partnerId, deliveryId: deliveryIds[0]! });
    expect(d).toMatchObject({ status: "dead", attempts: 3, lastError: "WEBHOOK_RECEIVER_UNREACHABLE" });
    expect(d.log!.map((a) => a.error)).toEqual(Array(3).fill("WEBHOOK_RECEIVER_UNREACHABLE"));
    const listed = await listWebhookDeliveries(ctx, { partnerId, endpointId: endpoint.id });
    expect(listed.map((x) => x.id)).toEqual(deliveryIds);
    // The event is still there: dead is not lost.
    expect(await ctx.prisma.webhookEvent.count({ where: { partnerId } })).toBe(1);
  });

  it("[WEBHOOK][REPLAY]: a dead-lettered delivery is replayed by id under the same webhook-id", async () => {
    const ctx = context(db().prisma, { maxAttempts: 2 });
    receiver.reset((n) => (n < 3 ? 500 : 200));
    const { partnerId, secret } = await endpointFor(ctx, receiver.url);
    receiver.setSecret(secret);
    const { deliveryIds } = await enqueue(ctx, partnerId);
    const id = deliveryIds[0]!;
    await drain(ctx, partnerId);
    expect(await getWebhookDeliveryOrThrow(ctx, { partnerId, deliveryId: id })).toMatchObject({
      status: "dead",
      lastError: "WEBHOOK_RECEIVER_REJECTED",
      lastStatusCode: 500,
    });
    // Replay while the receiver still fails: stays dead, logged as a replay.
    const stillDead = await replayWebhookDelivery(ctx, { partnerId, deliveryId: id });
    expect(stillDead.status).toBe("dead");
    const replayed = await replayWebhookDelivery(ctx, { partnerId, deliveryId: id });
    expect(replayed).toMatchObject({ status: "delivered", attempts: 4, lastStatusCode: 200 });
    expect(replayed.log!.map((a) => [a.attempt, a.replay])).toEqual([
      [1, false],
      [2, false],
      [3, true],
      [4, true],
    ]);
    expect(new Set(receiver.received.map((r) => r.id))).toEqual(new Set([id]));
    expect(receiver.received.every((r) => r.verified)).toBe(true);
    // Another partner cannot see or replay it.
    const other = await seedPartner(ctx.prisma);
    expect(await code(replayWebhookDelivery(ctx, { partnerId: other.id, deliveryId: id }))).toBe("NOT_FOUND");
  });

  it("[WEBHOOK][CONCURRENCY]: parallel dispatchers deliver each message exactly once", async () => {
    const ctx = context(db().prisma);
    receiver.reset(() => 200);
    const { partnerId, secret } = await endpointFor(ctx, receiver.url);
    receiver.setSecret(secret);
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push(...(await enqueue(ctx, partnerId, { i: String(i) })).deliveryIds);
    const results = await Promise.all([1, 2, 3].map(() => dispatchWebhookDeliveries(ctx, { limit: 12 })));
    await drain(ctx, partnerId);
    expect(results.reduce((s, r) => s + r.claimed, 0)).toBeGreaterThan(0);
    const got = receiver.received.map((r) => r.id).filter((id) => ids.includes(id));
    expect(got.sort()).toEqual([...ids].sort());
  });

  it("[WEBHOOK][TIMEOUT]: a receiver that never answers is WEBHOOK_RECEIVER_TIMEOUT", async () => {
    const ctx = context(db().prisma, { timeoutMs: 200, maxAttempts: 1 });
    receiver.reset(() => "hang");
    const { partnerId, secret } = await endpointFor(ctx, receiver.url);
    receiver.setSecret(secret);
    const { deliveryIds } = await enqueue(ctx, partnerId);
    await dispatchWebhookDeliveries(ctx);
    expect(await getWebhookDeliveryOrThrow(ctx, { partnerId, deliveryId: deliveryIds[0]! })).toMatchObject({
      status: "dead",
      lastError: "WEBHOOK_RECEIVER_TIMEOUT",
    });
    receiver.reset();
  });

  it("[WEBHOOK][ENDPOINTS]: event-type filters, disabled endpoints and URL rules", async () => {
    const ctx = context(db().prisma);
    const a = await endpointFor(ctx, receiver.url, ["certificate.revoked"]);
    expect((await enqueue(ctx, a.partnerId)).deliveryIds).toHaveLength(0);
    const b = await endpointFor(ctx, receiver.url);
    await disableWebhookEndpoint(ctx, { partnerId: b.partnerId, endpointId: b.endpoint.id });
    expect((await enqueue(ctx, b.partnerId)).deliveryIds).toHaveLength(0);
    expect(await code(disableWebhookEndpoint(ctx, { partnerId: a.partnerId, endpointId: b.endpoint.id }))).toBe(
      "NOT_FOUND",
    );
    const strict = { allowHttp: false };
    expect(assertWebhookUrl("https://hooks.example.jp/ichimai", strict).host).toBe("hooks.example.jp");
    for (const bad of [
      "http://hooks.example.jp/x",
      "https://127.0.0.1/x",
      "https://localhost/x",
      "https://10.1.2.3/x",
      "https://[::1]/x",
      "https://user:pw@hooks.example.jp/x",
      "ftp://hooks.example.jp/x",
    ]) {
      expect(() => assertWebhookUrl(bad, strict), bad).toThrow(AppError);
    }
  });
});
