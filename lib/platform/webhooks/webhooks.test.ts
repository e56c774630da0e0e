import { createCipheriv, randomBytes } from "node:crypto";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "../../../generated/prisma/client";
import { seedPartner } from "../../../prisma/seed/factories";
import { secretKeyId, secretsEncryptionKey } from "../../crypto/secret-box";
import { env } from "../../env";
import { AppError } from "../../errors/app-error";
import { createJlisClient } from "../../jlis/client";
import { useTestDatabase } from "../../../test/db";
import { DEFAULT_WEBHOOK_SETTINGS, type TPlatformContext, type TWebhookSettings } from "../platform-context";
import { startWebhookReceiver, type TWebhookReceiver, unreachableUrl } from "../../../test/platform/webhook-receiver";
import { createWebhookEndpoint } from "./create-webhook-endpoint";
import { disableWebhookEndpoint } from "./disable-webhook-endpoint";
import { dispatchWebhookDeliveries } from "./dispatch-webhook-deliveries";
import { enqueueWebhookEvent } from "./enqueue-webhook-event";
import { getWebhookDeliveryOrThrow, listWebhookDeliveries } from "./list-webhook-deliveries";
import { replayWebhookDelivery } from "./replay-webhook-delivery";
import { sendWebhook, type TWebhookConnect } from "./send-webhook";
import { resolveWebhookAddresses, type TWebhookAddress, type TWebhookResolver } from "./webhook-address";
import { openWebhookSecret, resealWebhookSecrets, sealWebhookSecret } from "./webhook-secret";
import { assertWebhookHost, assertWebhookUrl } from "./webhook-url";
import { rejectionCode as code } from "../../../test/rejection-code";

function context(prisma: PrismaClient, webhooks: Partial<TWebhookSettings> = {}): TPlatformContext {
  return {
    prisma,
    signTrustAnchors: [],
    jlis: createJlisClient({ baseUrl: "http://127.0.0.1:9/jlis" }),
    webhooks: { ...DEFAULT_WEBHOOK_SETTINGS, allowHttp: true, backoffBaseMs: 10, maxBackoffMs: 40, ...webhooks },
  };
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
      mode: "LIVE",
      partnerId: partner.id,
      request: { url, eventTypes },
    });
    return { partnerId: partner.id, endpoint, secret };
  }

  async function enqueue(ctx: TPlatformContext, partnerId: string, data: Record<string, string> = { n: "1" }) {
    return ctx.prisma.$transaction((tx) =>
      enqueueWebhookEvent(tx, { partnerId, mode: "LIVE", type: "webhook.test", data, now: new Date() }),
    );
  }

  it("[WEBHOOK][IDS]: an id that is not a UUID is NOT_FOUND in every endpoint and delivery operation, never a database error", async () => {
    const ctx = context(db().prisma);
    const { partnerId, endpoint } = await endpointFor(ctx, `${receiver.url}/ids`);
    const { deliveryIds } = await enqueue(ctx, partnerId);
    const deliveryId = deliveryIds[0]!;
    for (const bad of ["not-a-uuid", "1", "' OR 1=1 --", `${endpoint.id}x`]) {
      expect(await code(disableWebhookEndpoint(ctx, { partnerId, endpointId: bad })), bad).toBe("NOT_FOUND");
      expect(await code(listWebhookDeliveries(ctx, { partnerId, endpointId: bad })), bad).toBe("NOT_FOUND");
      expect(await code(getWebhookDeliveryOrThrow(ctx, { partnerId, deliveryId: bad })), bad).toBe("NOT_FOUND");
      expect(await code(getWebhookDeliveryOrThrow(ctx, { partnerId, deliveryId, endpointId: bad })), bad).toBe(
        "NOT_FOUND",
      );
      expect(await code(replayWebhookDelivery(ctx, { partnerId, deliveryId: bad })), bad).toBe("NOT_FOUND");
    }
    // The endpoint is untouched.
    expect((await ctx.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).active).toBe(true);
    // Leave no pending delivery for the dispatcher of the tests that follow.
    await ctx.prisma.webhookDelivery.deleteMany({ where: { partnerId } });
  });

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
    for (const bad of [
      "https://[::ffff:127.0.0.1]/x",
      "https://[fd00::1]/x",
      "https://169.254.169.254/x",
      "https://0x7f.1/x",
    ]) {
      expect(() => assertWebhookUrl(bad, strict), bad).toThrow(AppError);
    }
    expect(assertWebhookUrl("https://hooks.example.jp/ichimai", strict).host).toBe("hooks.example.jp");
    for (const bad of [
      "http://hooks.example.jp/x",
      "https://127.0.0.1/x",
      "https://localhost/x",
      "https://10.1.2.3/x",
      "https://[::1]/x",
      "https://203.0.113.10/x",
      "https://user:pw@hooks.example.jp/x",
      "ftp://hooks.example.jp/x",
    ]) {
      expect(() => assertWebhookUrl(bad, strict), bad).toThrow(AppError);
    }
    // With non-public receivers allowed (PLATFORM_WEBHOOK_ALLOW_PRIVATE), https to a literal passes.
    expect(assertWebhookUrl("https://203.0.113.10/x", { allowHttp: false, allowPrivate: true }).host).toBe(
      "203.0.113.10",
    );
  });

  async function storedSecret(ctx: TPlatformContext, endpointId: string): Promise<string> {
    // Raw SQL on purpose: what is really in the column, not what a Prisma extension might show.
    const rows = await ctx.prisma.$queryRaw<{ secret: string }[]>`
      SELECT secret FROM "WebhookEndpoint" WHERE id = ${endpointId}::uuid`;
    return rows[0]!.secret;
  }

  it("[WEBHOOK][SECRET_AT_REST]: the signing secret is stored AES-GCM encrypted, bound to its endpoint", async () => {
    const ctx = context(db().prisma, { maxAttempts: 1 });
    receiver.reset();
    const { partnerId, endpoint, secret } = await endpointFor(ctx, receiver.url);
    const raw = await storedSecret(ctx, endpoint.id);
    expect(raw).toMatch(/^v2:[0-9a-f]{8}:[A-Za-z0-9_-]+$/);
    expect(raw).not.toContain(secret);
    expect(raw).not.toContain(secret.slice(6, 30));
    receiver.setSecret(secret);
    const { deliveryIds } = await enqueue(ctx, partnerId);
    await dispatchWebhookDeliveries(ctx);
    expect((await receiver.waitFor(1))[0]!.id).toBe(deliveryIds[0]);

    // The same ciphertext copied to another endpoint's row does not decrypt there (AAD = endpoint id).
    const other = await endpointFor(ctx, receiver.url);
    await ctx.prisma.webhookEndpoint.update({ where: { id: other.endpoint.id }, data: { secret: raw } });
    const copied = await enqueue(ctx, other.partnerId);
    expect(await dispatchWebhookDeliveries(ctx)).toMatchObject({ claimed: 1, dead: 1 });
    expect(
      await getWebhookDeliveryOrThrow(ctx, { partnerId: other.partnerId, deliveryId: copied.deliveryIds[0]! }),
    ).toMatchObject({ status: "dead", lastError: "SECRET_UNREADABLE" });
    expect(receiver.received.map((r) => r.id)).not.toContain(copied.deliveryIds[0]);
  });

  it("[WEBHOOK][SECRET_WRONG_KEY]: a wrong key fails the delivery with SECRET_UNREADABLE (logged, no crash); the right key and a replay recover it", async () => {
    const ctx = context(db().prisma, { maxAttempts: 2 });
    receiver.reset();
    const { partnerId, secret } = await endpointFor(ctx, receiver.url);
    receiver.setSecret(secret);
    const { deliveryIds } = await enqueue(ctx, partnerId);
    const id = deliveryIds[0]!;
    const wrong = context(db().prisma, { maxAttempts: 2, backoffBaseMs: 1, secretsKey: randomBytes(32) });
    expect(await dispatchWebhookDeliveries(wrong)).toMatchObject({ claimed: 1, retried: 1 });
    await drain(wrong, partnerId);
    const dead = await getWebhookDeliveryOrThrow(ctx, { partnerId, deliveryId: id });
    expect(dead).toMatchObject({ status: "dead", attempts: 2, lastError: "SECRET_UNREADABLE" });
    expect(dead.log!.map((a) => a.error)).toEqual(["SECRET_UNREADABLE", "SECRET_UNREADABLE"]);
    expect(receiver.received).toHaveLength(0);
    expect(await replayWebhookDelivery(ctx, { partnerId, deliveryId: id })).toMatchObject({ status: "delivered" });
    expect((await receiver.waitFor(1))[0]!.id).toBe(id);
  });

  it("[WEBHOOK][SECRET_LEGACY]: a plaintext whsec_ row still signs, and the upgrade encrypts it once (idempotent)", async () => {
    const ctx = context(db().prisma);
    receiver.reset();
    const { partnerId, endpoint } = await endpointFor(ctx, receiver.url);
    const legacy = `whsec_${randomBytes(32).toString("base64")}`;
    await ctx.prisma.webhookEndpoint.update({ where: { id: endpoint.id }, data: { secret: legacy } });
    receiver.setSecret(legacy);
    await enqueue(ctx, partnerId, { n: "legacy" });
    expect(await dispatchWebhookDeliveries(ctx)).toMatchObject({ delivered: 1 });
    expect((await receiver.waitFor(1))[0]!.verified).toMatchObject({ data: { n: "legacy" } });

    expect((await resealWebhookSecrets(ctx)).resealed).toBeGreaterThanOrEqual(1);
    const upgraded = await storedSecret(ctx, endpoint.id);
    expect(upgraded).toMatch(/^v2:[0-9a-f]{8}:/);
    expect(upgraded).not.toContain(legacy.slice(6));
    expect((await resealWebhookSecrets(ctx)).resealed).toBe(0);
    expect(await storedSecret(ctx, endpoint.id)).toBe(upgraded);
    await enqueue(ctx, partnerId, { n: "upgraded" });
    expect(await dispatchWebhookDeliveries(ctx)).toMatchObject({ delivered: 1 });
    expect((await receiver.waitFor(2))[1]!.verified).toMatchObject({ data: { n: "upgraded" } });
  });

  /** A `v1:` envelope as written before key ids (AES-256-GCM, AAD = the endpoint only). */
  function sealV1(plaintext: string, key: Uint8Array, endpointId: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: 16 });
    cipher.setAAD(Buffer.from(`webhook-endpoint:${endpointId}`, "utf8"));
    const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return `v1:${Buffer.concat([iv, ct, cipher.getAuthTag()]).toString("base64url")}`;
  }

  it("[WEBHOOK][SECRET_ROTATION]: after a key rotation old rows (plaintext, v1, v2 under the old key) still deliver, the upgrade re-seals them once (compare-and-set), and they deliver with the previous key removed", async () => {
    const prisma = db().prisma;
    const oldKey = secretsEncryptionKey(env()); // the key every other test seals under
    const newKey = randomBytes(32);
    const before = context(prisma);
    const rotated = context(prisma, { secretsKey: newKey, previousSecretsKeys: [oldKey] });
    const afterwards = context(prisma, { secretsKey: newKey }); // SECRETS_ENCRYPTION_KEY_PREVIOUS removed
    receiver.reset();
    // Three endpoints with one signing secret (one receiver verifies all), stored three old ways.
    const a = await endpointFor(before, receiver.url);
    const b = await endpointFor(before, receiver.url);
    const c = await endpointFor(before, receiver.url);
    receiver.setSecret(a.secret);
    await prisma.webhookEndpoint.update({
      where: { id: b.endpoint.id },
      data: { secret: sealV1(a.secret, oldKey, b.endpoint.id) },
    });
    await prisma.webhookEndpoint.update({ where: { id: c.endpoint.id }, data: { secret: a.secret } });
    const ours = [a, b, c];
    const oldValues = await Promise.all(ours.map((e) => storedSecret(before, e.endpoint.id)));
    expect(oldValues.map((v) => v.slice(0, 3))).toEqual([`v2:`, "v1:", "whs"]);
    expect(oldValues[0]!.startsWith(`v2:${secretKeyId(oldKey)}:`)).toBe(true);

    // New key, old key kept for reading: everything still delivers, and new endpoints seal under the new key.
    for (const e of ours) await enqueue(rotated, e.partnerId, { n: "rotated" });
    expect(await dispatchWebhookDeliveries(rotated)).toMatchObject({ delivered: 3 });
    expect((await receiver.waitFor(3)).map((r) => r.verified?.data)).toEqual(Array(3).fill({ n: "rotated" }));
    expect(sealWebhookSecret(rotated, a.endpoint.id, a.secret).startsWith(`v2:${secretKeyId(newKey)}:`)).toBe(true);

    // Without the previous key (too early) they do not open: the upgrade leaves them alone and says so.
    const early = await resealWebhookSecrets(afterwards);
    expect(early.unreadable).toEqual(expect.arrayContaining([a.endpoint.id, b.endpoint.id]));
    expect(await storedSecret(before, a.endpoint.id)).toBe(oldValues[0]);
    expect(await storedSecret(before, b.endpoint.id)).toBe(oldValues[1]);

    // Compare-and-set: a row changed between the upgrade's read and its write keeps the newer value.
    const concurrent = sealWebhookSecret(rotated, b.endpoint.id, a.secret);
    const racing = {
      ...rotated,
      prisma: new Proxy(prisma, {
        get(target, prop, receiverObj) {
          if (prop !== "webhookEndpoint") return Reflect.get(target, prop, receiverObj);
          return {
            findMany: async (args: Parameters<PrismaClient["webhookEndpoint"]["findMany"]>[0]) => {
              const rows = await target.webhookEndpoint.findMany(args);
              await target.webhookEndpoint.update({ where: { id: b.endpoint.id }, data: { secret: concurrent } });
              return rows;
            },
            updateMany: target.webhookEndpoint.updateMany.bind(target.webhookEndpoint),
          };
        },
      }),
    };
    const upgraded = await resealWebhookSecrets(racing);
    expect(upgraded.unreadable).not.toEqual(expect.arrayContaining([a.endpoint.id]));
    expect(await storedSecret(before, b.endpoint.id)).toBe(concurrent);
    const newValues = await Promise.all(ours.map((e) => storedSecret(before, e.endpoint.id)));
    for (const v of newValues) expect(v.startsWith(`v2:${secretKeyId(newKey)}:`)).toBe(true);
    expect(newValues[0]).not.toBe(oldValues[0]);
    expect(newValues[2]).not.toContain(a.secret.slice(6));
    // Idempotent: nothing left to re-seal.
    expect((await resealWebhookSecrets(rotated)).resealed).toBe(0);
    for (const [i, e] of ours.entries()) expect(await storedSecret(before, e.endpoint.id)).toBe(newValues[i]);

    // Previous key removed: still delivers.
    for (const e of ours) await enqueue(afterwards, e.partnerId, { n: "after" });
    expect(await dispatchWebhookDeliveries(afterwards)).toMatchObject({ delivered: 3 });
    expect((await receiver.waitFor(6)).slice(3).map((r) => r.verified?.data)).toEqual(Array(3).fill({ n: "after" }));

    // An unknown key id (the old key alone, or a random one) is SECRET_UNREADABLE.
    for (const wrong of [before, context(prisma, { secretsKey: randomBytes(32) })]) {
      expect(() => openWebhookSecret(wrong, a.endpoint.id, newValues[0]!)).toThrow(
        expect.objectContaining({ code: "SECRET_UNREADABLE" }),
      );
    }

    // Rotate back, so the other tests' rows are under the key they use again.
    expect(
      (await resealWebhookSecrets(context(prisma, { previousSecretsKeys: [newKey] }))).resealed,
    ).toBeGreaterThanOrEqual(3);
    expect(await storedSecret(before, a.endpoint.id)).toMatch(new RegExp(`^v2:${secretKeyId(oldKey)}:`));
  });

  /** A resolver for made-up names (no real DNS), counting its calls. */
  function fakeResolver(answers: Record<string, string[]>): TWebhookResolver & { calls: string[] } {
    const calls: string[] = [];
    const resolve = async (hostname: string) => {
      calls.push(hostname);
      const a = answers[hostname];
      if (!a) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
      return a.map((address) => ({ address, family: (net.isIPv6(address) ? 6 : 4) as 4 | 6 }));
    };
    return Object.assign(resolve, { calls });
  }

  it("[WEBHOOK][SSRF_REGISTER]: registration resolves the host as the sender does: a non-public answer is WEBHOOK_ADDRESS_FORBIDDEN, no answer WEBHOOK_HOST_UNRESOLVABLE, nothing stored", async () => {
    const { prisma } = db();
    const resolve = fakeResolver({
      "internal.example.jp": ["10.0.0.7"],
      "mixed.example.jp": ["93.184.215.14", "10.0.0.7"],
      "metadata.example.jp": ["169.254.169.254"],
      "v6-local.example.jp": ["fd12:3456::1"],
      "hooks.example.jp": ["93.184.215.14", "2606:4700::6810:84e5"],
      "empty.example.jp": [],
    });
    const hanging: TWebhookResolver = () => new Promise(() => {});
    // The production settings: https only, no private receivers.
    const ctx = context(prisma, { allowHttp: false, resolve, timeoutMs: 200 });
    const partner = await seedPartner(prisma);
    const register = (c: TPlatformContext, url: string) =>
      createWebhookEndpoint(c, { mode: "LIVE", partnerId: partner.id, request: { url } });
    const audited = () => prisma.auditEvent.count({ where: { actorId: partner.id } });

    for (const host of ["internal.example.jp", "mixed.example.jp", "metadata.example.jp", "v6-local.example.jp"]) {
      const err = await register(ctx, `https://${host}/hooks`).catch((e: unknown) => e);
      expect(err, host).toMatchObject({ code: "WEBHOOK_ADDRESS_FORBIDDEN", status: 422, details: { host } });
      // The partner learns that the name is refused, never the addresses behind it.
      expect(JSON.stringify({ m: (err as AppError).message, d: (err as AppError).details }), host).not.toMatch(
        /10\.0\.0\.7|169\.254|fd12/,
      );
    }
    for (const host of ["nowhere.example.jp", "empty.example.jp"]) {
      expect(await code(register(ctx, `https://${host}/hooks`)), host).toBe("WEBHOOK_HOST_UNRESOLVABLE");
    }
    const started = performance.now();
    expect(
      await code(register(context(prisma, { resolve: hanging, timeoutMs: 200 }), "https://slow.example.jp/")),
    ).toBe("WEBHOOK_HOST_UNRESOLVABLE");
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(await prisma.webhookEndpoint.count({ where: { partnerId: partner.id } })).toBe(0);
    expect(await audited()).toBe(0);
    expect(resolve.calls).toEqual([
      "internal.example.jp",
      "mixed.example.jp",
      "metadata.example.jp",
      "v6-local.example.jp",
      "nowhere.example.jp",
      "empty.example.jp",
    ]);

    // A public answer registers, with the name as given (the send resolves it again).
    const { endpoint } = await register(ctx, "https://hooks.example.jp/ichimai");
    expect(endpoint.url).toBe("https://hooks.example.jp/ichimai");
    expect(await audited()).toBe(1);

    // PLATFORM_WEBHOOK_ALLOW_PRIVATE (the e2e server: https only, private receivers allowed) lets a
    // private answer through; a name that does not resolve is still refused.
    const allowPrivate = context(prisma, { allowHttp: false, allowPrivateAddresses: true, resolve });
    expect((await register(allowPrivate, "https://internal.example.jp/hooks")).endpoint.url).toBe(
      "https://internal.example.jp/hooks",
    );
    expect(await code(register(allowPrivate, "https://nowhere.example.jp/hooks"))).toBe("WEBHOOK_HOST_UNRESOLVABLE");
    // Unset, it follows allowHttp, as at send time (webhooksAllowPrivate): a development server
    // takes a local receiver.
    const development = context(prisma, { allowHttp: true, resolve });
    expect((await register(development, "http://internal.example.jp:8080/hooks")).endpoint.url).toBe(
      "http://internal.example.jp:8080/hooks",
    );
    // An IP literal needs no resolver.
    expect(
      await code(
        assertWebhookHost(new URL("http://[::1]:9/x"), { allowPrivate: false, resolve: hanging, timeoutMs: 200 }),
      ),
    ).toBe("WEBHOOK_ADDRESS_FORBIDDEN");
  });

  it("[WEBHOOK][SSRF_DNS]: a name that resolves to a private address by the time of the send is refused then (WEBHOOK_ADDRESS_FORBIDDEN), nothing is connected", async () => {
    const answers: Record<string, string[]> = { "hooks.example.jp": ["93.184.215.14"] };
    const resolve = fakeResolver(answers);
    const connects: unknown[] = [];
    const connect: TWebhookConnect = (o) => {
      connects.push(o);
      throw new Error("must not connect");
    };
    const ctx = context(db().prisma, { allowHttp: false, maxAttempts: 1, resolve, connect });
    // Registered while the name was public; then its DNS changes. The send checks again.
    const { partnerId } = await endpointFor(ctx, "https://hooks.example.jp/ichimai");
    answers["hooks.example.jp"] = ["127.0.0.1"];
    const { deliveryIds } = await enqueue(ctx, partnerId);
    expect(await dispatchWebhookDeliveries(ctx)).toMatchObject({ claimed: 1, dead: 1 });
    const d = await getWebhookDeliveryOrThrow(ctx, { partnerId, deliveryId: deliveryIds[0]! });
    expect(d).toMatchObject({ status: "dead", lastError: "WEBHOOK_ADDRESS_FORBIDDEN" });
    expect(d.log!.map((a) => a.error)).toEqual(["WEBHOOK_ADDRESS_FORBIDDEN"]);
    expect(resolve.calls).toEqual(["hooks.example.jp", "hooks.example.jp"]);
    expect(connects).toEqual([]);
    // Replay checks again.
    expect(await replayWebhookDelivery(ctx, { partnerId, deliveryId: deliveryIds[0]! })).toMatchObject({
      status: "dead",
      lastError: "WEBHOOK_ADDRESS_FORBIDDEN",
    });
    expect(connects).toEqual([]);

    // ANY non-public answer refuses the name, in every spelling.
    for (const bad of [
      ["10.0.0.7"],
      ["93.184.215.14", "10.0.0.7"],
      ["169.254.169.254"],
      ["100.64.1.1"],
      ["0.0.0.0"],
      ["::1"],
      ["::"],
      ["fd12:3456::1"],
      ["fe80::1"],
      ["::ffff:127.0.0.1"],
      ["::ffff:7f00:1"],
      ["::ffff:192.168.1.1"],
      ["64:ff9b::a00:1"],
    ]) {
      const r = await resolveWebhookAddresses("hooks.example.jp", {
        allowPrivate: false,
        resolve: fakeResolver({ "hooks.example.jp": bad }),
      });
      expect(r, bad.join(",")).toMatchObject({ ok: false, error: "WEBHOOK_ADDRESS_FORBIDDEN" });
    }
    for (const good of [["93.184.215.14"], ["2606:2800:21f:cb07:6820:80da:af6b:8b2c", "93.184.215.14"]]) {
      const r = await resolveWebhookAddresses("hooks.example.jp", {
        allowPrivate: false,
        resolve: fakeResolver({ "hooks.example.jp": good }),
      });
      expect(r, good.join(",")).toMatchObject({ ok: true });
    }
    // A literal address is checked without a resolver; an unknown name is unreachable.
    expect(await resolveWebhookAddresses("127.0.0.1", { allowPrivate: false, resolve })).toMatchObject({
      error: "WEBHOOK_ADDRESS_FORBIDDEN",
    });
    expect(await resolveWebhookAddresses("nowhere.example.jp", { allowPrivate: false, resolve })).toMatchObject({
      error: "WEBHOOK_RECEIVER_UNREACHABLE",
    });
    // The development switch still lets a local receiver through.
    expect(await resolveWebhookAddresses("hooks.example.jp", { allowPrivate: true, resolve })).toMatchObject({
      ok: true,
    });
  });

  it("[WEBHOOK][SSRF_PINNED]: a name resolving to a public address is sent, connected to exactly the checked address", async () => {
    receiver.reset();
    const port = Number(new URL(receiver.url).port);
    const resolve = fakeResolver({ "hooks.example.jp": ["93.184.215.14"] });
    const connects: { hostname: string; port: number; addresses: TWebhookAddress[] }[] = [];
    // Stands in for the network: records where the request would go, then reaches the local receiver.
    const connect: TWebhookConnect = (o) => {
      connects.push(o);
      return net.connect({ host: "127.0.0.1", port });
    };
    // http is allowed (a plain local receiver), private addresses are not: the production check.
    const ctx = context(db().prisma, { allowHttp: true, allowPrivateAddresses: false, resolve, connect });
    const { partnerId, secret } = await endpointFor(ctx, `http://hooks.example.jp:${port}/hooks/ichimai`);
    receiver.setSecret(secret);
    const { deliveryIds } = await enqueue(ctx, partnerId, { pinned: "yes" });
    expect(await dispatchWebhookDeliveries(ctx)).toMatchObject({ delivered: 1 });
    const [got] = await receiver.waitFor(1);
    expect(got).toMatchObject({ id: deliveryIds[0], verified: { data: { pinned: "yes" } } });
    // Once at registration, once for the send.
    expect(resolve.calls).toEqual(["hooks.example.jp", "hooks.example.jp"]);
    expect(connects).toEqual([
      { hostname: "hooks.example.jp", port, addresses: [{ address: "93.184.215.14", family: 4 }] },
    ]);

    // The default connector never asks DNS again: "hooks.example.jp" exists nowhere, yet the
    // request reaches the receiver through the address the resolver gave (allowed here: dev switch).
    receiver.reset();
    const outcome = await sendWebhook({
      url: `http://hooks.example.jp:${port}/hooks/ichimai`,
      secret,
      id: "msg_pinned_default",
      body: JSON.stringify({ type: "webhook.test", timestamp: new Date().toISOString(), data: {} }),
      timestamp: new Date(),
      timeoutMs: 5_000,
      allowPrivate: true,
      resolve: fakeResolver({ "hooks.example.jp": ["127.0.0.1"] }),
    });
    expect(outcome).toMatchObject({ ok: true, statusCode: 204 });
    expect((await receiver.waitFor(1))[0]!.id).toBe("msg_pinned_default");
  });
});
