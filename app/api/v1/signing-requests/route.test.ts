import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linkPartner } from "@/lib/mailbox/link-partner";
import type { TPlatformContext } from "@/lib/platform/platform-context";
import { unlinkPartner } from "@/lib/consent/unlink-partner";
import {
  declineSigningRequest,
  getMySigningRequest,
  listMyPendingSigningRequests,
  signSigningRequest,
} from "@/lib/services/signing-requests/resident-signing-requests";
import { seedPartnerCredential } from "@/prisma/seed/factories";
import { useTestDatabase } from "@/test/db";
import { cardSign } from "@/test/jpki/card-sign";
import { rejectionCode as codeOf } from "@/test/rejection-code";
import { startPlatformWorld, type TPartnerClient, type TPlatformWorld } from "@/test/platform/platform-world";
import { serveV1ForTest } from "../../../../test/api/serve-v1-for-test";
import { buildOpenApiSpec } from "../_lib/openapi";

/** POST /api/v1/signing-requests, GET /api/v1/signing-requests/{id} over real HTTP, and the resident's side. */
describe("partner signing requests (/api/v1/signing-requests)", () => {
  const db = useTestDatabase();
  let world: TPlatformWorld;
  let ctx: TPlatformContext;
  let origin: string;
  let close: () => Promise<void>;
  let bank: TPartnerClient;
  let bankTest: TPartnerClient;

  beforeAll(async () => {
    world = await startPlatformWorld();
    ctx = world.context(db().prisma);
    ({ origin, close } = await serveV1ForTest({ prisma: ctx.prisma, context: ctx }));
    bank = await world.partner(ctx.prisma, {
      kind: "BANK",
      name: "阿波みらい銀行",
      scopes: ["signing:request", "identity:verify", "identity:facts"],
    });
    const { credential, clientSecret } = await seedPartnerCredential(ctx.prisma, {
      partnerId: bank.partnerId,
      scopes: ["signing:request"],
      mode: "TEST",
    });
    bankTest = {
      ...bank,
      mode: "TEST",
      authorization: `Basic ${Buffer.from(`${credential.clientId}:${clientSecret}`).toString("base64")}`,
    };
  });
  afterAll(async () => {
    await close?.();
    await world?.close();
  });

  const call = async (auth: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${origin}${path}`, {
      method,
      headers: { authorization: auth, ...(body ? { "content-type": "application/json" } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return {
      status: res.status,
      headers: res.headers,
      json: (await res.json()) as Record<string, unknown> & { error?: { code: string } },
    };
  };
  const TEXT = "阿波みらい銀行 御中\n\n普通預金口座の開設を申し込みます。\r\n<b>太字ではありません</b>";

  it("[API][SIGNING]: the bank asks, the resident signs the exact content with the card, the bank fetches the CMS and verifies the resident's identity with it", async () => {
    const p = ctx.prisma;
    const { resident, card } = await world.resident(p);
    await linkPartner(p, {
      residentId: resident.id,
      partnerId: bank.partnerId,
      partnerRef: "BANK-1",
      purposes: ["notify"],
    });
    const endpoint = await p.webhookEndpoint.create({
      data: {
        partnerId: bank.partnerId,
        url: "https://bank.example/hooks",
        secret: "whsec_test",
        secretHint: "xxxx",
        mode: "LIVE",
        eventTypes: ["signing_request.decided"],
      },
      select: { id: true },
    });

    const created = await call(bank.authorization, "POST", "/api/v1/signing-requests", {
      title: "普通預金口座開設申込書",
      text: TEXT,
      partnerRef: "BANK-1",
    });
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toBe(`/api/v1/signing-requests/${created.json.id}`);
    expect(created.json).toMatchObject({ object: "signing_request", status: "pending", partnerRef: "BANK-1" });
    expect(created.json.signedData).toBeUndefined();
    const id = created.json.id as string;
    const content = Buffer.from(created.json.content as string, "base64");
    // The content is the canonical JSON of what the resident is shown, the text byte for byte.
    expect(JSON.parse(content.toString("utf8"))).toEqual({
      format: "ichimai-signing-request/1",
      requestId: id,
      partner: { name: "阿波みらい銀行" },
      title: "普通預金口座開設申込書",
      text: TEXT,
    });

    // The resident sees it, with the same bytes to sign.
    const pending = await listMyPendingSigningRequests(p, { residentId: resident.id });
    expect(pending.map((r) => [r.id, r.partnerName, r.text])).toEqual([[id, "阿波みらい銀行", TEXT]]);
    const mine = await getMySigningRequest(p, { residentId: resident.id, signingRequestId: id });
    expect(Buffer.from(mine.canonical, "utf8").equals(content)).toBe(true);

    // A signature over other bytes, or by another resident's card, is refused; nothing is stored.
    const other = await world.resident(p);
    const tampered = new Uint8Array(Buffer.from(mine.canonical.replace("普通預金", "定期預金"), "utf8"));
    const base = { residentId: resident.id, signingRequestId: id, channel: "pc" as const };
    expect(
      await codeOf(signSigningRequest(ctx, { ...base, request: { signedData: await cardSign(card.sign!, tampered) } })),
    ).toBe("SIGNING_REQUEST_CONTENT_MISMATCH");
    expect(
      await codeOf(
        signSigningRequest(ctx, { ...base, request: { signedData: await cardSign(other.card.sign!, content) } }),
      ),
    ).toBe("SIGNING_REQUEST_SIGNER_MISMATCH");
    expect(
      await codeOf(signSigningRequest(ctx, { ...base, request: { signedData: await cardSign(card.auth, content) } })),
    ).toBe("CERT_UNTRUSTED");
    expect((await call(bank.authorization, "GET", `/api/v1/signing-requests/${id}`)).json.status).toBe("pending");

    const signed = await signSigningRequest(ctx, {
      ...base,
      request: { signedData: await cardSign(card.sign!, content) },
    });
    expect(signed.status).toBe("signed");
    expect(await codeOf(declineSigningRequest(p, base))).toBe("SIGNING_REQUEST_DECIDED");
    expect(await listMyPendingSigningRequests(p, { residentId: resident.id })).toEqual([]);

    // The decision: consent.given in the resident's log, signing_request.decided queued for the LIVE endpoint.
    expect(
      await p.auditEvent.count({
        where: { subjectResidentId: resident.id, type: "consent.given", actorType: "resident" },
      }),
    ).toBeGreaterThanOrEqual(2);
    const event = await p.webhookEvent.findFirst({
      where: { partnerId: bank.partnerId, type: "signing_request.decided" },
      select: { payload: true, deliveries: { select: { endpointId: true } } },
    });
    expect(event?.payload).toMatchObject({ data: { signingRequestId: id, partnerRef: "BANK-1", status: "signed" } });
    expect(event?.deliveries.map((d) => d.endpointId)).toEqual([endpoint.id]);

    // The bank reads the CMS and verifies it: the resident's facts come back.
    const read = await call(bank.authorization, "GET", `/api/v1/signing-requests/${id}`);
    expect(read.json).toMatchObject({ status: "signed", decidedAt: expect.any(String) });
    expect(
      await p.auditEvent.count({
        where: { subjectResidentId: resident.id, type: "partner.api_access", actorType: "partner" },
      }),
    ).toBe(1);
    const verification = await call(bank.authorization, "POST", "/api/v1/identity-verifications", {
      signedData: read.json.signedData,
      purpose: "普通預金口座開設の本人確認",
    });
    expect(verification.status).toBe(201);
    expect(verification.json).toMatchObject({
      status: "verified",
      facts: { name: expect.any(String), address: resident.address },
    });

    // Another partner, a malformed id, and the TEST key all see nothing of it.
    const stranger = await world.partner(p, { scopes: ["signing:request"] });
    expect((await call(stranger.authorization, "GET", `/api/v1/signing-requests/${id}`)).status).toBe(404);
    expect((await call(bank.authorization, "GET", "/api/v1/signing-requests/nope")).status).toBe(404);
    expect((await call(bankTest.authorization, "GET", `/api/v1/signing-requests/${id}`)).json.error?.code).toBe(
      "CREDENTIAL_MODE_MISMATCH",
    );
  });

  it("[API][SIGNING][REFUSE]: scope, validation, unknown reference, ended link, mode, expiry, decline: stable codes, nothing written", async () => {
    const p = ctx.prisma;
    const { resident } = await world.resident(p);
    const { linkId } = await linkPartner(p, {
      residentId: resident.id,
      partnerId: bank.partnerId,
      partnerRef: "BANK-2",
    });
    const noScope = await world.partner(p, { scopes: ["identity:verify"] });
    const body = (o: Record<string, unknown> = {}) => ({ title: "申込書", text: "本文", partnerRef: "BANK-2", ...o });
    const before = await p.signingRequest.count();
    expect((await call(noScope.authorization, "POST", "/api/v1/signing-requests", body())).status).toBe(403);
    const codes = async (b: unknown, auth = bank.authorization) => {
      const r = await call(auth, "POST", "/api/v1/signing-requests", b);
      return [r.status, r.json.error?.code];
    };
    expect(await codes(body({ text: "" }))).toEqual([422, "VALIDATION_FAILED"]);
    expect(await codes(body({ text: "x".repeat(20_001) }))).toEqual([422, "VALIDATION_FAILED"]);
    expect(await codes(body({ html: "<p>" }))).toEqual([422, "VALIDATION_FAILED"]);
    expect(await codes(body({ text: "a\u0000b" }))).toEqual([422, "TEXT_CHARACTER_FORBIDDEN"]);
    expect(await codes(body({ expiresAt: new Date(Date.now() + 40 * 86_400_000).toISOString() }))).toEqual([
      422,
      "VALIDATION_FAILED",
    ]);
    expect(await codes(body({ partnerRef: "NOBODY" }))).toEqual([404, "PARTNER_REF_UNKNOWN"]);
    expect(await codes(body(), bankTest.authorization)).toEqual([403, "CREDENTIAL_MODE_MISMATCH"]);
    expect(await p.signingRequest.count()).toBe(before);

    // Declined: the bank sees it; a second decision is refused.
    const a = await call(bank.authorization, "POST", "/api/v1/signing-requests", body());
    const base = { residentId: resident.id, signingRequestId: a.json.id as string, channel: "pc" as const };
    expect((await declineSigningRequest(p, base)).status).toBe("declined");
    expect(await codeOf(declineSigningRequest(p, base))).toBe("SIGNING_REQUEST_DECIDED");
    expect((await call(bank.authorization, "GET", `/api/v1/signing-requests/${a.json.id}`)).json).toMatchObject({
      status: "declined",
    });
    expect(await p.auditEvent.count({ where: { subjectResidentId: resident.id, type: "consent.refused" } })).toBe(1);
    // Another resident cannot see or decide it.
    const other = await world.resident(p);
    expect(
      await codeOf(getMySigningRequest(p, { residentId: other.resident.id, signingRequestId: base.signingRequestId })),
    ).toBe("NOT_FOUND");

    // Expired: shown as such to the bank, refused to the resident.
    const b = await call(bank.authorization, "POST", "/api/v1/signing-requests", body());
    await p.signingRequest.update({
      where: { id: b.json.id as string },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect((await call(bank.authorization, "GET", `/api/v1/signing-requests/${b.json.id}`)).json.status).toBe(
      "expired",
    );
    expect(await codeOf(declineSigningRequest(p, { ...base, signingRequestId: b.json.id as string }))).toBe(
      "SIGNING_REQUEST_EXPIRED",
    );

    // The link ended: no more requests.
    await unlinkPartner(p, { residentId: resident.id, linkId, channel: "pc" });
    expect(await codes(body())).toEqual([403, "RECIPIENT_NOT_LINKED"]);

    // A TEST key reaches a sandbox resident.
    const sandbox = await world.resident(p, { sandbox: true });
    await linkPartner(p, { residentId: sandbox.resident.id, partnerId: bank.partnerId, partnerRef: "BANK-SB" });
    const sb = await call(bankTest.authorization, "POST", "/api/v1/signing-requests", body({ partnerRef: "BANK-SB" }));
    expect(sb.status).toBe(201);
    expect(await codes(body({ partnerRef: "BANK-SB" }))).toEqual([403, "CREDENTIAL_MODE_MISMATCH"]);
    // The sandbox resident signs with their JPKI-TEST card; the event goes to the bank's TEST side only.
    const signed = await signSigningRequest(ctx, {
      residentId: sandbox.resident.id,
      signingRequestId: sb.json.id as string,
      channel: "pc",
      request: { signedData: await cardSign(sandbox.card.sign!, Buffer.from(sb.json.content as string, "base64")) },
    });
    expect(signed.status).toBe("signed");
    const testHook = await p.webhookEndpoint.create({
      data: {
        partnerId: bank.partnerId,
        url: "https://bank.example/test",
        secret: "whsec_t",
        secretHint: "t",
        mode: "TEST",
      },
      select: { id: true },
    });
    const c = await call(bankTest.authorization, "POST", "/api/v1/signing-requests", body({ partnerRef: "BANK-SB" }));
    await declineSigningRequest(p, {
      residentId: sandbox.resident.id,
      signingRequestId: c.json.id as string,
      channel: "pc",
    });
    const event = await p.webhookEvent.findFirst({
      where: {
        partnerId: bank.partnerId,
        type: "signing_request.decided",
        payload: { path: ["data", "signingRequestId"], equals: c.json.id as string },
      },
      select: { deliveries: { select: { endpointId: true } } },
    });
    expect(event?.deliveries.map((d) => d.endpointId)).toEqual([testHook.id]);
  });

  it("[API][SIGNING][OPENAPI]: the document describes both operations with the signing:request scope and their codes", () => {
    const spec = buildOpenApiSpec() as {
      paths: Record<string, Record<string, { "x-required-scope": string; "x-error-codes": string[] }>>;
    };
    expect(spec.paths["/api/v1/signing-requests"]?.post?.["x-required-scope"]).toBe("signing:request");
    expect(spec.paths["/api/v1/signing-requests"]?.post?.["x-error-codes"]).toEqual(
      expect.arrayContaining(["PARTNER_REF_UNKNOWN", "RECIPIENT_NOT_LINKED", "CREDENTIAL_MODE_MISMATCH"]),
    );
    expect(spec.paths["/api/v1/signing-requests/{id}"]?.get?.["x-required-scope"]).toBe("signing:request");
  });
});
