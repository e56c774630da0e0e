import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  approveLinkRequest,
  approveLinkRequestWithSignature,
  listResidentLinks,
} from "@/lib/links/resident-link-requests";
import type { TPlatformContext } from "@/lib/platform/platform-context";
import { useTestDatabase } from "@/test/db";
import { cardSign } from "@/test/jpki/card-sign";
import { rejectionCode as codeOf } from "@/test/rejection-code";
import { startPlatformWorld, type TPartnerClient, type TPlatformWorld } from "@/test/platform/platform-world";
import { serveV1ForTest } from "../../../../test/api/serve-v1-for-test";

/** Link requests that need a signature: POST with signatureRequired, the resident signs, the partner verifies. */
describe("link requests approved by signature (/api/v1/link-requests, lib/links)", () => {
  const db = useTestDatabase();
  let world: TPlatformWorld;
  let ctx: TPlatformContext;
  let origin: string;
  let close: () => Promise<void>;
  let insurer: TPartnerClient;

  beforeAll(async () => {
    world = await startPlatformWorld();
    ctx = world.context(db().prisma);
    ({ origin, close } = await serveV1ForTest({ prisma: ctx.prisma, context: ctx }));
    insurer = await world.partner(ctx.prisma, {
      kind: "HEALTH_INSURER",
      name: "阿波健康保険組合",
      scopes: ["links:write", "identity:verify", "identity:facts"],
    });
  });
  afterAll(async () => {
    await close?.();
    await world?.close();
  });

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${origin}${path}`, {
      method,
      headers: { authorization: insurer.authorization, ...(body ? { "content-type": "application/json" } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> & { error?: { code: string } } };
  };

  it("[API][LINKS][SIGNATURE]: wrong content, another resident's card and the plain approve are refused; the signature approves, is stored, and the partner verifies it", async () => {
    const p = ctx.prisma;
    const { resident, card } = await world.resident(p);
    const created = await call("POST", "/api/v1/link-requests", {
      partnerRef: "INS-0042",
      purposes: ["eligibility"],
      purposeText: "保険資格の確認",
      signatureRequired: true,
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ status: "pending", signatureRequired: true });
    expect(created.json.signature).toBeUndefined();
    const id = created.json.id as string;
    const content = Buffer.from(created.json.content as string, "base64");
    // Exactly the RFC 8785 bytes of the consent (keys sorted, no spaces).
    expect(content.toString("utf8")).toBe(
      JSON.stringify({
        format: "ichimai-link-consent/1",
        linkRequestId: id,
        partner: { name: "阿波健康保険組合" },
        partnerRef: "INS-0042",
        purposeText: "保険資格の確認",
        purposes: ["eligibility"],
      }),
    );
    // A plain request carries neither.
    const plain = await call("POST", "/api/v1/link-requests", {
      partnerRef: "INS-0043",
      purposes: ["eligibility"],
      purposeText: "保険資格の確認",
    });
    expect(plain.json).toMatchObject({ signatureRequired: false });
    expect(plain.json.content).toBeUndefined();

    // The resident claims it (the code was in the answer) and sees the exact consent text.
    await p.linkRequest.update({ where: { id }, data: { residentId: resident.id, claimedAt: new Date() } });
    const { pending } = await listResidentLinks(p, { residentId: resident.id });
    expect(pending).toMatchObject([{ id, signatureRequired: true, canonical: content.toString("utf8") }]);

    const base = { residentId: resident.id, linkRequestId: id, channel: "pc" as const };
    expect(await codeOf(approveLinkRequest(p, base))).toBe("LINK_SIGNATURE_REQUIRED");
    const tampered = new Uint8Array(Buffer.from(content.toString("utf8").replace("INS-0042", "INS-9999"), "utf8"));
    expect(
      await codeOf(
        approveLinkRequestWithSignature(ctx, {
          ...base,
          request: { signedData: await cardSign(card.sign!, tampered) },
        }),
      ),
    ).toBe("LINK_CONSENT_CONTENT_MISMATCH");
    const other = await world.resident(p);
    expect(
      await codeOf(
        approveLinkRequestWithSignature(ctx, {
          ...base,
          request: { signedData: await cardSign(other.card.sign!, content) },
        }),
      ),
    ).toBe("LINK_CONSENT_SIGNER_MISMATCH");
    expect(
      await codeOf(
        approveLinkRequestWithSignature(ctx, { ...base, request: { signedData: await cardSign(card.auth, content) } }),
      ),
    ).toBe("CERT_UNTRUSTED");
    expect(await codeOf(approveLinkRequestWithSignature(ctx, { ...base, request: { signedData: "" } }))).toBe(
      "VALIDATION_FAILED",
    );
    // Nothing was written by the refusals.
    expect((await call("GET", `/api/v1/link-requests/${id}`)).json.status).toBe("pending");
    expect(await p.partnerResidentLink.count({ where: { residentId: resident.id } })).toBe(0);

    const signedData = await cardSign(card.sign!, content);
    const { linkId } = await approveLinkRequestWithSignature(ctx, { ...base, request: { signedData } });
    expect(await p.partnerResidentLink.findUnique({ where: { id: linkId }, select: { partnerRef: true } })).toEqual({
      partnerRef: "INS-0042",
    });
    expect(await codeOf(approveLinkRequestWithSignature(ctx, { ...base, request: { signedData } }))).toBe(
      "LINK_REQUEST_DECIDED",
    );
    const given = await p.auditEvent.findFirst({
      where: { subjectResidentId: resident.id, type: "consent.given" },
      select: { data: true },
    });
    expect(given?.data).toMatchObject({ consent: "link", linkRequestId: id, via: "signature", boundBy: "jlis-link" });

    // The partner reads the CMS and the content, and verifies the resident with it.
    const read = await call("GET", `/api/v1/link-requests/${id}`);
    expect(read.json).toMatchObject({ status: "approved", signatureRequired: true, signature: signedData });
    expect(read.json.content).toBe(created.json.content);
    const verification = await call("POST", "/api/v1/identity-verifications", {
      signedData: read.json.signature,
      purpose: "加入者の本人確認",
    });
    expect(verification.status).toBe(201);
    expect(verification.json).toMatchObject({ status: "verified", facts: { address: resident.address } });
  });

  it("[API][LINKS][SIGNATURE][REFUSE]: a signature for a request that does not ask for one is refused; signatureRequired must be a boolean", async () => {
    const p = ctx.prisma;
    const { resident, card } = await world.resident(p);
    const created = await call("POST", "/api/v1/link-requests", {
      partnerRef: "INS-0100",
      purposes: ["eligibility"],
      purposeText: "保険資格の確認",
    });
    const id = created.json.id as string;
    await p.linkRequest.update({ where: { id }, data: { residentId: resident.id, claimedAt: new Date() } });
    expect(
      await codeOf(
        approveLinkRequestWithSignature(ctx, {
          residentId: resident.id,
          linkRequestId: id,
          channel: "pc",
          request: { signedData: await cardSign(card.sign!, new TextEncoder().encode("{}")) },
        }),
      ),
    ).toBe("LINK_SIGNATURE_NOT_REQUESTED");
    const bad = await call("POST", "/api/v1/link-requests", {
      partnerRef: "INS-0101",
      purposes: ["eligibility"],
      purposeText: "保険資格の確認",
      signatureRequired: "yes",
    });
    expect([bad.status, bad.json.error?.code]).toEqual([422, "VALIDATION_FAILED"]);
  });
});
