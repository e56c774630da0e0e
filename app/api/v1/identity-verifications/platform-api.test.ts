import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPlatformJobs, type TPlatformJobs } from "@/lib/jobs/start-platform-jobs";
import type { TPlatformContext } from "@/lib/platform/platform-context";
import { signApplication, startPlatformWorld, type TPlatformWorld } from "@/test/platform/platform-world";
import { startWebhookReceiver, type TWebhookReceiver } from "@/test/platform/webhook-receiver";
import { dispatchWebhookDeliveries } from "@/lib/platform/webhooks/dispatch-webhook-deliveries";
import { enqueueWebhookEvent } from "@/lib/platform/webhooks/enqueue-webhook-event";
import { useTestDatabase } from "@/test/db";
import { makeToken } from "@/test/auth/jpki-world";
import { linkPartner } from "@/lib/mailbox/link-partner";
import { PORTAL } from "@/test/platform/platform-world";
import { buildOpenApiSpec } from "../_lib/openapi";
import { serveV1ForTest } from "../../../../test/api/serve-v1-for-test";

const MOVED_TO = "徳島県一枚町栄町三丁目７番地";

describe("partner API of the verification platform over real HTTP", () => {
  const db = useTestDatabase();
  let world: TPlatformWorld;
  let receiver: TWebhookReceiver;
  let ctx: TPlatformContext;
  let jobs: TPlatformJobs;
  let origin: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    [world, receiver] = await Promise.all([startPlatformWorld(), startWebhookReceiver()]);
    ctx = world.context(db().prisma, { maxAttempts: 1 });
    ({ origin, close } = await serveV1ForTest({ prisma: ctx.prisma, context: ctx }));
    jobs = await startPlatformJobs(ctx, { connectionString: db().url, schedule: false, pollingIntervalSeconds: 0.5 });
  });
  afterAll(async () => {
    await jobs?.stop();
    await Promise.all([close?.(), world?.close(), receiver?.close()]);
  });

  const call = async (auth: string | undefined, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${origin}${path}`, {
      method,
      headers: { ...(auth ? { authorization: auth } : {}), ...(body ? { "content-type": "application/json" } : {}) },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const json = (await res.json()) as Record<string, unknown> & { error?: { code: string; details?: unknown } };
    return { status: res.status, json };
  };

  it("[PLATFORM][DONE]: insurer verifies a signed application, resident moves, one pg-boss cycle later the insurer's receiver verifies certificate.revoked with the successor link", async () => {
    const { prisma } = db();
    const insurer = await world.partner(prisma, {
      name: "さくら生命保険株式会社",
      scopes: ["identity:verify", "identity:facts", "change:watch", "webhooks:manage"],
    });
    receiver.reset();
    const ep = await call(insurer.authorization, "POST", "/api/v1/webhook-endpoints", {
      url: receiver.url,
      eventTypes: ["certificate.revoked"],
    });
    expect(ep.status).toBe(201);
    receiver.setSecret(ep.json.secret as string);
    const listed = await call(insurer.authorization, "GET", "/api/v1/webhook-endpoints");
    expect(JSON.stringify(listed.json)).not.toContain(ep.json.secret as string);

    const { resident, card } = await world.resident(prisma);
    await world.jlis.setConsent({ residentRef: resident.registryNumber, consent: true });
    const application = await signApplication(card.sign!, { kind: "insurance-contract", plan: "終身保険" });
    const v = await call(insurer.authorization, "POST", "/api/v1/identity-verifications", {
      ...application,
      purpose: "保険契約の本人確認",
    });
    expect(v.status).toBe(201);
    expect(v.json).toMatchObject({ status: "verified", facts: { address: resident.address } });
    const again = await call(insurer.authorization, "GET", `/api/v1/identity-verifications/${v.json.id}`);
    expect(again.json).toMatchObject({ id: v.json.id, facts: { address: resident.address } });

    const w = await call(insurer.authorization, "POST", "/api/v1/watches", { verificationId: v.json.id });
    expect(w.status).toBe(201);
    expect((await call(insurer.authorization, "POST", "/api/v1/watches", { verificationId: v.json.id })).status).toBe(
      200,
    );

    const moved = await world.jlis.changeFacts({ residentRef: resident.registryNumber, facts: { address: MOVED_TO } });
    const cycle = await jobs.runChangeCheckNow();
    expect(cycle).toMatchObject({ confirmed: 1 });
    const [got] = await receiver.waitFor(1);
    expect(got!.verified).toMatchObject({
      type: "certificate.revoked",
      data: {
        watchId: w.json.id,
        reason: "affiliationChanged",
        successor: { serialNumber: moved.sign!.serial },
        latestFacts: { address: MOVED_TO },
      },
    });
    const watch = await call(insurer.authorization, "GET", `/api/v1/watches/${w.json.id}`);
    expect(watch.json).toMatchObject({ status: "revoked", revocationReason: "affiliationChanged" });
    const log = await call(insurer.authorization, "GET", `/api/v1/webhook-endpoints/${ep.json.id}/deliveries`);
    expect(log.json).toMatchObject({ data: [{ id: got!.id, status: "delivered", eventType: "certificate.revoked" }] });
    const notice = await prisma.residentNotice.findFirstOrThrow({ where: { residentId: resident.id } });
    expect(notice.body).toContain("さくら生命保険株式会社");
  });

  it("[PLATFORM][SCOPE]: facts only with identity:facts; each operation needs its scope; no credentials is 401", async () => {
    const { prisma } = db();
    const verifyOnly = await world.partner(prisma, { kind: "BANK", scopes: ["identity:verify"] });
    const { card } = await world.resident(prisma);
    const body = { ...(await signApplication(card.sign!, { n: 1 })), purpose: "口座開設" };
    const v = await call(verifyOnly.authorization, "POST", "/api/v1/identity-verifications", body);
    expect(v.status).toBe(201);
    expect(v.json).not.toHaveProperty("facts");
    const w = await call(verifyOnly.authorization, "POST", "/api/v1/watches", { verificationId: v.json.id });
    expect([w.status, w.json.error?.code]).toEqual([403, "FORBIDDEN"]);
    const e = await call(verifyOnly.authorization, "GET", "/api/v1/webhook-endpoints");
    expect([e.status, e.json.error?.code]).toEqual([403, "FORBIDDEN"]);
    const watcher = await world.partner(prisma, { scopes: ["change:watch"] });
    expect((await call(watcher.authorization, "POST", "/api/v1/identity-verifications", body)).status).toBe(403);
    // Another partner's verification cannot be watched or read.
    const watchOther = await call(watcher.authorization, "POST", "/api/v1/watches", { verificationId: v.json.id });
    expect(watchOther.json.error?.code).toBe("WATCH_VERIFICATION_INVALID");
    const anon = await call(undefined, "POST", "/api/v1/identity-verifications", body);
    expect([anon.status, anon.json.error?.code]).toEqual([401, "UNAUTHENTICATED"]);
  });

  it("[PLATFORM][ERRORS]: wrong-purpose certificate, bad CMS, bad JSON, bad webhook URL each have their code", async () => {
    const { prisma } = db();
    const p = await world.partner(prisma, { scopes: ["identity:verify", "webhooks:manage"] });
    const { card } = await world.resident(prisma);
    const auth = await call(p.authorization, "POST", "/api/v1/identity-verifications", {
      ...(await signApplication(card.auth, { n: 1 })),
      purpose: "p",
    });
    expect([auth.status, auth.json.error?.code]).toEqual([422, "CERT_WRONG_PURPOSE"]);
    const id = (auth.json.error!.details as { verificationId: string }).verificationId;
    expect((await call(p.authorization, "GET", `/api/v1/identity-verifications/${id}`)).json).toMatchObject({
      status: "rejected",
      failureCode: "CERT_WRONG_PURPOSE",
    });
    const garbage = await call(p.authorization, "POST", "/api/v1/identity-verifications", {
      signedData: Buffer.from("nope").toString("base64"),
      purpose: "p",
    });
    expect([garbage.status, garbage.json.error?.code]).toEqual([400, "CMS_MALFORMED"]);
    const schema = await call(p.authorization, "POST", "/api/v1/identity-verifications", { signedData: "AAAA" });
    expect([schema.status, schema.json.error?.code]).toEqual([422, "VALIDATION_FAILED"]);
    const json = await call(p.authorization, "POST", "/api/v1/identity-verifications", "{not json");
    expect(json.json.error?.code).toBe("BAD_JSON");
    const url = await call(p.authorization, "POST", "/api/v1/webhook-endpoints", { url: "ftp://example.jp/x" });
    expect(url.json.error?.code).toBe("WEBHOOK_URL_INVALID");
    // The host is resolved at registration, as in production (no private receivers). The served
    // handlers hold this same context object, so its settings are swapped in place.
    const saved = ctx.webhooks;
    ctx.webhooks = {
      ...saved,
      allowPrivateAddresses: false,
      resolve: async (host) => {
        if (host === "internal.example.jp") return [{ address: "10.0.0.7", family: 4 }];
        throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
      },
    };
    try {
      const internal = await call(p.authorization, "POST", "/api/v1/webhook-endpoints", {
        url: "https://internal.example.jp/hooks",
      });
      expect([internal.status, internal.json.error?.code]).toEqual([422, "WEBHOOK_ADDRESS_FORBIDDEN"]);
      expect(JSON.stringify(internal.json)).not.toContain("10.0.0.7");
      const nowhere = await call(p.authorization, "POST", "/api/v1/webhook-endpoints", {
        url: "https://nowhere.example.jp/hooks",
      });
      expect([nowhere.status, nowhere.json.error?.code]).toEqual([422, "WEBHOOK_HOST_UNRESOLVABLE"]);
    } finally {
      ctx.webhooks = saved;
    }
    expect((await call(p.authorization, "GET", "/api/v1/identity-verifications/not-a-uuid")).status).toBe(404);
  });

  it("[PLATFORM][REPLAY]: a dead-lettered delivery is replayed over the API under the same webhook-id, once", async () => {
    const { prisma } = db();
    const p = await world.partner(prisma, { scopes: ["webhooks:manage"] });
    receiver.reset((n) => (n === 0 ? 503 : 200));
    const ep = await call(p.authorization, "POST", "/api/v1/webhook-endpoints", { url: receiver.url });
    receiver.setSecret(ep.json.secret as string);
    const { deliveryIds } = await prisma.$transaction((tx) =>
      enqueueWebhookEvent(tx, {
        mode: "LIVE",
        partnerId: p.partnerId,
        type: "webhook.test",
        data: { hello: 1 },
        now: new Date(),
      }),
    );
    await dispatchWebhookDeliveries(ctx);
    const path = `/api/v1/webhook-endpoints/${ep.json.id}/deliveries/${deliveryIds[0]}`;
    expect((await call(p.authorization, "GET", path)).json).toMatchObject({
      status: "dead",
      lastError: "WEBHOOK_RECEIVER_REJECTED",
      lastStatusCode: 503,
    });
    const replay = await call(p.authorization, "POST", `${path}/replay`);
    expect(replay.json).toMatchObject({ status: "delivered", attempts: 2 });
    const twice = await call(p.authorization, "POST", `${path}/replay`);
    expect([twice.status, twice.json.error?.code]).toEqual([409, "WEBHOOK_DELIVERY_NOT_REPLAYABLE"]);
    expect(receiver.received.map((r) => r.id)).toEqual([deliveryIds[0], deliveryIds[0]]);
    expect(receiver.received.filter((r) => r.verified)).toHaveLength(2);
    const other = await world.partner(prisma, { scopes: ["webhooks:manage"] });
    expect((await call(other.authorization, "POST", `${path}/replay`)).status).toBe(404);
  });

  it("[PLATFORM][ELIGIBILITY]: a terminal gets a challenge, the card signs it, the answer is the member reference; the challenge is single use", async () => {
    const { prisma } = db();
    const hospital = await world.partner(prisma, { kind: "HEALTH_INSURER", scopes: ["eligibility:verify"] });
    const { resident, card } = await world.resident(prisma);
    await linkPartner(prisma, { residentId: resident.id, partnerId: hospital.partnerId, partnerRef: "K-0001" });
    const c = await call(hospital.authorization, "POST", "/api/v1/eligibility/challenges", { terminalId: "受付2" });
    expect(c.status).toBe(201);
    expect(c.json.origin).toBe(PORTAL);
    const body = {
      nonce: c.json.nonce,
      terminalBinding: c.json.terminalBinding,
      token: await makeToken(card.auth, c.json.nonce as string, PORTAL),
    };
    const answer = await call(hospital.authorization, "POST", "/api/v1/eligibility/checks", body);
    expect([answer.status, answer.json]).toMatchObject([200, { eligible: true, member: { reference: "K-0001" } }]);
    const again = await call(hospital.authorization, "POST", "/api/v1/eligibility/checks", body);
    expect([again.status, again.json.error?.code]).toEqual([401, "CHALLENGE_REPLAYED"]);
    const noScope = await world.partner(prisma, { scopes: ["identity:verify"] });
    expect(
      (await call(noScope.authorization, "POST", "/api/v1/eligibility/challenges", { terminalId: "x" })).status,
    ).toBe(403);
  });

  it("[PLATFORM][OPENAPI]: the platform operations are in the same OpenAPI document as the mailbox", () => {
    const spec = buildOpenApiSpec() as { paths: Record<string, Record<string, { operationId: string }>> };
    expect(spec.paths["/api/v1/identity-verifications"]?.post?.operationId).toBe("createIdentityVerification");
    expect(spec.paths["/api/v1/watches"]?.post?.operationId).toBe("createWatch");
    expect(spec.paths["/api/v1/webhook-endpoints/{id}/deliveries/{deliveryId}/replay"]?.post?.operationId).toBe(
      "replayWebhookDelivery",
    );
    expect(spec.paths["/api/v1/documents"]?.post?.operationId).toBe("deliverDocument");
  });
});
