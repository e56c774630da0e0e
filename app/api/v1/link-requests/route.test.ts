import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approveLinkRequest, claimLinkRequest } from "@/lib/links/resident-link-requests";
import { linkPartner } from "@/lib/mailbox/link-partner";
import { seedPartner, seedPartnerCredential, seedResident } from "@/prisma/seed/factories";
import { useTestDatabase } from "@/test/db";
import { basicAuth, seedCred, type TCred } from "@/test/mailbox/mailbox-world";
import { serveV1ForTest } from "../../../../test/api/serve-v1-for-test";
import { buildOpenApiSpec } from "../_lib/openapi";

/** POST /api/v1/link-requests and GET /api/v1/link-requests/{id} over real HTTP. */
describe("link requests over HTTP (/api/v1/link-requests)", () => {
  const db = useTestDatabase();
  let origin: string;
  let close: () => Promise<void>;
  let live: TCred;
  let test: TCred;
  let noScope: TCred;
  let partnerId: string;
  let verifiedResident: string;
  let verificationId: string;

  beforeAll(async () => {
    const p = db().prisma;
    const partner = await seedPartner(p, { kind: "HEALTH_INSURER" });
    partnerId = partner.id;
    live = await seedCred(p, partnerId, { scopes: ["links:write"], mode: "LIVE" });
    test = await seedCred(p, partnerId, { scopes: ["links:write"], mode: "TEST" });
    noScope = await seedCred(p, partnerId, { scopes: ["documents:deliver"], mode: "LIVE" });
    const resident = await seedResident(p);
    verifiedResident = resident.id;
    const { credential } = await seedPartnerCredential(p, { partnerId, scopes: ["identity:verify"] });
    verificationId = (
      await p.identityVerification.create({
        data: {
          partnerId,
          credentialId: credential.id,
          residentId: resident.id,
          purpose: "加入手続",
          status: "VERIFIED",
          checks: [],
          signerIssuerDn: "C=JP, O=JPKI",
          signerSerialNumber: "77",
          signerNotAfter: new Date("2030-01-01T00:00:00Z"),
          contentHash: "0".repeat(64),
        },
      })
    ).id;
    ({ origin, close } = await serveV1ForTest({ prisma: p }));
  });
  afterAll(async () => {
    await close?.();
  });

  const post = async (cred: TCred, body: unknown) => {
    const res = await fetch(`${origin}/api/v1/link-requests`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: basicAuth(cred) },
      body: JSON.stringify(body),
    });
    return {
      status: res.status,
      headers: res.headers,
      json: (await res.json()) as Record<string, unknown> & { error?: { code: string } },
    };
  };
  const get = async (cred: TCred, id: string) => {
    const res = await fetch(`${origin}/api/v1/link-requests/${id}`, { headers: { authorization: basicAuth(cred) } });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> & { error?: { code: string } } };
  };
  const body = (o: Record<string, unknown> = {}) => ({
    partnerRef: "HTTP-1",
    purposes: ["eligibility", "deliver"],
    purposeText: "保険資格の確認",
    ...o,
  });

  it("[API][LINKS]: a claim-code request answers 201 with the code once; GET shows its status (claimed, approved) but never the code", async () => {
    const p = db().prisma;
    const created = await post(live, body());
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toBe(`/api/v1/link-requests/${created.json.id}`);
    expect(created.json).toMatchObject({
      object: "link_request",
      status: "pending",
      addressedBy: "claim_code",
      claimed: false,
    });
    expect(created.json.claimCode).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    const id = created.json.id as string;
    const read = await get(live, id);
    expect(read.status).toBe(200);
    expect(read.json).toMatchObject({ status: "pending", claimed: false, purposes: ["deliver", "eligibility"] });
    expect(read.json.claimCode).toBeUndefined();

    const resident = await seedResident(p);
    await claimLinkRequest(p, { residentId: resident.id, code: created.json.claimCode as string, channel: "pc" });
    expect((await get(live, id)).json).toMatchObject({ status: "pending", claimed: true });
    await approveLinkRequest(p, { residentId: resident.id, linkRequestId: id, channel: "pc" });
    expect((await get(live, id)).json).toMatchObject({ status: "approved", decidedAt: expect.any(String) });

    // Another partner's id and a malformed id are both 404; the TEST key gets 403 for a LIVE request.
    const stranger = await seedPartner(p);
    const strangerCred = await seedCred(p, stranger.id, { scopes: ["links:write"] });
    expect((await get(strangerCred, id)).status).toBe(404);
    expect((await get(live, "not-a-uuid")).status).toBe(404);
    expect((await get(test, id)).json.error?.code).toBe("CREDENTIAL_MODE_MISMATCH");
  });

  it("[API][LINKS][REFUSE]: scope, validation, unknown verification, taken reference, linked resident, mode: stable codes, nothing written", async () => {
    const p = db().prisma;
    const before = await p.linkRequest.count();
    expect((await post(noScope, body())).status).toBe(403);
    const invalid = await post(live, body({ purposes: ["teleport"] }));
    expect([invalid.status, invalid.json.error?.code]).toEqual([422, "VALIDATION_FAILED"]);
    const nul = await post(live, body({ purposeText: "a\u0000b" }));
    expect([nul.status, nul.json.error?.code]).toEqual([422, "TEXT_CHARACTER_FORBIDDEN"]);
    const unknown = await post(live, body({ identityVerificationId: "0b9c7f2e-4a51-4f7e-9d55-3a0e1c2b7d11" }));
    expect([unknown.status, unknown.json.error?.code]).toEqual([422, "LINK_VERIFICATION_INVALID"]);
    const other = await seedResident(p);
    await linkPartner(p, { residentId: other.id, partnerId, partnerRef: "HTTP-TAKEN" });
    const taken = await post(live, body({ partnerRef: "HTTP-TAKEN", identityVerificationId: verificationId }));
    expect([taken.status, taken.json.error?.code]).toEqual([409, "PARTNER_REF_TAKEN"]);
    const mode = await post(test, body({ partnerRef: "HTTP-2", identityVerificationId: verificationId }));
    expect([mode.status, mode.json.error?.code]).toEqual([403, "CREDENTIAL_MODE_MISMATCH"]);
    expect(await p.linkRequest.count()).toBe(before);

    // Addressed by the verification: pending for that resident; once linked, a second request is 409.
    const addressed = await post(live, body({ partnerRef: "HTTP-3", identityVerificationId: verificationId }));
    expect(addressed.status).toBe(201);
    expect(addressed.json).toMatchObject({
      addressedBy: "identity_verification",
      claimed: true,
      identityVerificationId: verificationId,
    });
    expect(addressed.json.claimCode).toBeUndefined();
    await approveLinkRequest(p, {
      residentId: verifiedResident,
      linkRequestId: addressed.json.id as string,
      channel: "pc",
    });
    const again = await post(live, body({ partnerRef: "HTTP-4", identityVerificationId: verificationId }));
    expect([again.status, again.json.error?.code]).toEqual([409, "LINK_ALREADY_EXISTS"]);
  });

  it("[API][LINKS][OPENAPI]: the document describes both operations with the links:write scope and their codes", () => {
    const spec = buildOpenApiSpec() as {
      paths: Record<string, Record<string, { "x-required-scope": string; "x-error-codes": string[] }>>;
    };
    expect(spec.paths["/api/v1/link-requests"]?.post?.["x-required-scope"]).toBe("links:write");
    expect(spec.paths["/api/v1/link-requests"]?.post?.["x-error-codes"]).toEqual(
      expect.arrayContaining(["LINK_VERIFICATION_INVALID", "PARTNER_REF_TAKEN", "LINK_ALREADY_EXISTS"]),
    );
    expect(spec.paths["/api/v1/link-requests/{id}"]?.get?.["x-required-scope"]).toBe("links:write");
    expect(spec.paths["/api/v1/documents"]?.post?.["x-error-codes"]).toContain("LINK_PURPOSE_NOT_ALLOWED");
  });
});
