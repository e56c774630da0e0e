import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linkPartner } from "@/lib/mailbox/link-partner";
import { shareDocument } from "@/lib/mailbox/share-document";
import type { TPlatformContext } from "@/lib/platform/platform-context";
import { seedPartner, seedResident } from "@/prisma/seed/factories";
import { useTestDatabase } from "@/test/db";
import {
  basicAuth,
  createDeliveryWorld,
  lifeInsurancePayload,
  seedCred,
  signPayload,
  type TCred,
} from "@/test/mailbox/mailbox-world";
import { signApplication, startPlatformWorld, type TPlatformWorld } from "@/test/platform/platform-world";
import { serveV1ForTest } from "../../../test/api/serve-v1-for-test";

/**
 * TEST credentials reach only the sandbox (sandbox residents, JPKI-TEST cards); LIVE credentials
 * only real residents and production cards. Each refusal is 403 CREDENTIAL_MODE_MISMATCH and
 * writes nothing.
 */
describe("TEST and LIVE credentials over real HTTP", () => {
  const db = useTestDatabase();
  let world: TPlatformWorld;
  let ctx: TPlatformContext;
  let origin: string;
  let close: () => Promise<void>;
  let signer: Awaited<ReturnType<typeof createDeliveryWorld>>["signer"];
  let test: TCred;
  let live: TCred;
  let insurerId: string;
  let realId: string;
  let sandboxId: string;

  beforeAll(async () => {
    const prisma = db().prisma;
    world = await startPlatformWorld();
    ctx = world.context(prisma);
    const delivery = await createDeliveryWorld(prisma);
    signer = delivery.signer;
    insurerId = delivery.insurer.id;
    test = await seedCred(prisma, insurerId, { scopes: ["documents:deliver", "documents:status"], mode: "TEST" });
    live = await seedCred(prisma, insurerId, { scopes: ["documents:deliver", "documents:status"], mode: "LIVE" });
    const real = await seedResident(prisma);
    const sandbox = await seedResident(prisma, { sandbox: true });
    realId = real.id;
    sandboxId = sandbox.id;
    await linkPartner(prisma, { residentId: real.id, partnerId: insurerId, partnerRef: "REAL-1" });
    await linkPartner(prisma, { residentId: sandbox.id, partnerId: insurerId, partnerRef: "SBX-1" });
    ({ origin, close } = await serveV1ForTest({ prisma, trustAnchors: delivery.trustAnchors, context: ctx }));
  });
  afterAll(async () => {
    await Promise.all([close?.(), world?.close()]);
  });

  const post = async (cred: TCred | string, path: string, body: unknown) => {
    const res = await fetch(`${origin}${path}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: typeof cred === "string" ? cred : basicAuth(cred),
      },
      body: JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> & { error?: { code: string } } };
  };
  const document = async (partnerRef: string, policyNumber: string) => {
    const payload = lifeInsurancePayload({ policyNumber });
    return {
      type: "life-insurance-deduction-certificate",
      recipient: { partnerRef },
      payload,
      signature: await signPayload(signer, payload),
    };
  };

  it("[MODE][DELIVERY]: a TEST key delivers to a sandbox resident only, a LIVE key to a real one only; the refusal is 403 and stores nothing", async () => {
    const p = db().prisma;
    const before = await p.mailboxDocument.count({ where: { issuerPartnerId: insurerId } });
    const refusedTest = await post(test, "/api/v1/documents", await document("REAL-1", "MODE-1"));
    expect(refusedTest.status).toBe(403);
    expect(refusedTest.json.error?.code).toBe("CREDENTIAL_MODE_MISMATCH");
    const refusedLive = await post(live, "/api/v1/documents", await document("SBX-1", "MODE-2"));
    expect(refusedLive.status).toBe(403);
    expect(refusedLive.json.error?.code).toBe("CREDENTIAL_MODE_MISMATCH");
    expect(await p.mailboxDocument.count({ where: { issuerPartnerId: insurerId } })).toBe(before);

    const toSandbox = await post(test, "/api/v1/documents", await document("SBX-1", "MODE-3"));
    expect(toSandbox.status).toBe(201);
    const toReal = await post(live, "/api/v1/documents", await document("REAL-1", "MODE-4"));
    expect(toReal.status).toBe(201);

    // Receipts: each side reads its own only.
    const receipt = (cred: TCred, id: unknown) =>
      fetch(`${origin}/api/v1/documents/${id}`, { headers: { authorization: basicAuth(cred) } }).then((r) => r.status);
    expect(await receipt(live, toReal.json.id)).toBe(200);
    expect(await receipt(test, toReal.json.id)).toBe(403);
    expect(await receipt(test, toSandbox.json.id)).toBe(200);
    expect(await receipt(live, toSandbox.json.id)).toBe(403);

    // Bulk: each line is checked the same way, alone.
    const bulk = await fetch(`${origin}/api/v1/documents/bulk`, {
      method: "POST",
      headers: { "content-type": "application/x-ndjson", authorization: basicAuth(test) },
      body: `${JSON.stringify({ document: await document("SBX-1", "MODE-5") })}\n${JSON.stringify({ document: await document("REAL-1", "MODE-6") })}\n`,
    });
    const lines = (await bulk.text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ line: 1, status: "delivered" });
    expect(lines[1]).toMatchObject({ line: 2, status: "refused", error: { code: "CREDENTIAL_MODE_MISMATCH" } });
    expect(await p.mailboxDocument.count({ where: { payload: { path: ["policyNumber"], equals: "MODE-6" } } })).toBe(0);
  });

  it("[MODE][IDENTITY]: a TEST key verifies a sandbox card's signed application only, a LIVE key a production card's only; nothing stored on refusal", async () => {
    const p = db().prisma;
    const testPartner = await world.partner(p, { scopes: ["identity:verify", "identity:facts"], mode: "TEST" });
    const livePartner = await world.partner(p, {
      scopes: ["identity:verify", "identity:facts", "change:watch"],
      mode: "LIVE",
    });
    const real = await world.resident(p);
    const sandbox = await world.resident(p, { sandbox: true });
    const realApp = await signApplication(real.card.sign!, { kind: "account-opening" });
    const sandboxApp = await signApplication(sandbox.card.sign!, { kind: "account-opening" });
    const stored = () => p.identityVerification.count();
    const before = await stored();

    const refused = await post(testPartner.authorization, "/api/v1/identity-verifications", {
      ...realApp,
      purpose: "口座開設の本人確認",
    });
    expect(refused.status).toBe(403);
    expect(refused.json.error?.code).toBe("CREDENTIAL_MODE_MISMATCH");
    expect(JSON.stringify(refused.json)).not.toContain(real.resident.address);
    const refusedLive = await post(livePartner.authorization, "/api/v1/identity-verifications", {
      ...sandboxApp,
      purpose: "口座開設の本人確認",
    });
    expect(refusedLive.status).toBe(403);
    expect(await stored()).toBe(before);

    const ok = await post(testPartner.authorization, "/api/v1/identity-verifications", {
      ...sandboxApp,
      purpose: "口座開設の本人確認",
    });
    expect(ok.status).toBe(201);
    expect(ok.json).toMatchObject({ status: "verified", facts: { address: sandbox.resident.address } });
    const okLive = await post(livePartner.authorization, "/api/v1/identity-verifications", {
      ...realApp,
      purpose: "口座開設の本人確認",
    });
    expect(okLive.status).toBe(201);
    // A TEST credential of the same partner does not read the LIVE verification (or its facts).
    const testOfLive = await seedCred(p, livePartner.partnerId, {
      scopes: ["identity:verify", "identity:facts", "change:watch"],
      mode: "TEST",
    });
    const read = (authorization: string) =>
      fetch(`${origin}/api/v1/identity-verifications/${okLive.json.id}`, { headers: { authorization } });
    expect((await read(livePartner.authorization)).status).toBe(200);
    const cross = await read(basicAuth(testOfLive));
    expect(cross.status).toBe(403);
    expect(JSON.stringify(await cross.json())).not.toContain(real.resident.address);

    // Watches: registered under LIVE, neither made nor seen nor cancelled with the TEST credential.
    expect((await post(basicAuth(testOfLive), "/api/v1/watches", { verificationId: okLive.json.id })).status).toBe(403);
    const watch = await post(livePartner.authorization, "/api/v1/watches", { verificationId: okLive.json.id });
    expect(watch.status).toBe(201);
    const get = (authorization: string, path: string, method = "GET") =>
      fetch(`${origin}${path}`, { method, headers: { authorization } });
    expect((await (await get(livePartner.authorization, "/api/v1/watches")).json()).data).toHaveLength(1);
    expect((await (await get(basicAuth(testOfLive), "/api/v1/watches")).json()).data).toHaveLength(0);
    expect((await get(basicAuth(testOfLive), `/api/v1/watches/${watch.json.id}`)).status).toBe(404);
    expect((await get(basicAuth(testOfLive), `/api/v1/watches/${watch.json.id}/cancel`, "POST")).status).toBe(404);
    expect((await get(livePartner.authorization, `/api/v1/watches/${watch.json.id}`)).status).toBe(200);
  });

  it("[MODE][SHARES]: a partner's TEST key lists and fetches only sandbox residents' shares, its LIVE key only real ones; a refused fetch is 403, not marked fetched, not audited", async () => {
    const p = db().prisma;
    const employer = await seedPartner(p, { kind: "EMPLOYER" });
    const recvTest = await seedCred(p, employer.id, { scopes: ["documents:receive"], mode: "TEST" });
    const recvLive = await seedCred(p, employer.id, { scopes: ["documents:receive"], mode: "LIVE" });
    await linkPartner(p, { residentId: realId, partnerId: employer.id, partnerRef: "EMP-REAL" });
    await linkPartner(p, { residentId: sandboxId, partnerId: employer.id, partnerRef: "EMP-SBX" });
    const sandboxDoc = await post(test, "/api/v1/documents", await document("SBX-1", "SHARE-SBX"));
    const realDoc = await post(live, "/api/v1/documents", await document("REAL-1", "SHARE-REAL"));
    expect([sandboxDoc.status, realDoc.status]).toEqual([201, 201]);
    const share = (residentId: string, documentId: unknown) =>
      shareDocument(p, {
        residentId,
        documentId: String(documentId),
        target: { partnerId: employer.id },
        channel: "pc",
      });
    const { shareId: sandboxShare } = await share(sandboxId, sandboxDoc.json.id);
    const { shareId: realShare } = await share(realId, realDoc.json.id);

    const list = async (cred: TCred) => {
      const res = await fetch(`${origin}/api/v1/shares`, { headers: { authorization: basicAuth(cred) } });
      expect(res.status).toBe(200);
      return ((await res.json()) as { shares: { shareId: string }[] }).shares.map((s) => s.shareId);
    };
    expect(await list(recvTest)).toEqual([sandboxShare]);
    expect(await list(recvLive)).toEqual([realShare]);

    const fetchShare = (cred: TCred, id: string) =>
      fetch(`${origin}/api/v1/shares/${id}`, { headers: { authorization: basicAuth(cred) } });
    const reads = () => p.auditEvent.count({ where: { type: "document.read", actorId: employer.id } });
    const readsBefore = await reads();
    for (const [cred, id] of [
      [recvTest, realShare],
      [recvLive, sandboxShare],
    ] as const) {
      const refused = await fetchShare(cred, id);
      expect(refused.status).toBe(403);
      const body = (await refused.json()) as { error: { code: string }; payload?: unknown };
      expect(body.error.code).toBe("CREDENTIAL_MODE_MISMATCH");
      expect(body.payload).toBeUndefined();
    }
    expect(await reads()).toBe(readsBefore);
    expect(
      (await p.documentShare.findMany({ where: { id: { in: [sandboxShare, realShare] } } })).map((s) => s.usedAt),
    ).toEqual([null, null]);

    const ok = await fetchShare(recvTest, sandboxShare);
    expect(ok.status).toBe(200);
    expect((await ok.json()) as { payload: { policyNumber: string } }).toMatchObject({
      payload: { policyNumber: "SHARE-SBX" },
    });
    const okLive = await fetchShare(recvLive, realShare);
    expect(okLive.status).toBe(200);
    expect((await okLive.json()) as { payload: { policyNumber: string } }).toMatchObject({
      payload: { policyNumber: "SHARE-REAL" },
    });
    expect(await reads()).toBe(readsBefore + 2);
  });

  it("[MODE][WEBHOOKS]: an endpoint takes the mode of the key that registers it; the other mode's key neither lists nor disables it", async () => {
    const p = db().prisma;
    const partner = await seedPartner(p);
    const hookTest = await seedCred(p, partner.id, { scopes: ["webhooks:manage"], mode: "TEST" });
    const hookLive = await seedCred(p, partner.id, { scopes: ["webhooks:manage"], mode: "LIVE" });
    const created = await post(hookTest, "/api/v1/webhook-endpoints", { url: "https://203.0.113.9/sandbox-hooks" });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ mode: "TEST" });
    const list = async (cred: TCred) =>
      (
        (await (
          await fetch(`${origin}/api/v1/webhook-endpoints`, { headers: { authorization: basicAuth(cred) } })
        ).json()) as { data: { id: string }[] }
      ).data.map((e) => e.id);
    expect(await list(hookTest)).toEqual([created.json.id]);
    expect(await list(hookLive)).toEqual([]);
    expect((await post(hookLive, `/api/v1/webhook-endpoints/${created.json.id}/disable`, {})).status).toBe(404);
    expect((await p.webhookEndpoint.findUniqueOrThrow({ where: { id: String(created.json.id) } })).active).toBe(true);
    expect((await post(hookTest, `/api/v1/webhook-endpoints/${created.json.id}/disable`, {})).status).toBe(200);
  });
});
