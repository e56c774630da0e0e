import { describe, expect, it } from "vitest";
import { AppError } from "../../errors/app-error";
import { createJlisClient } from "../../jlis/client";
import { useTestDatabase } from "../../../test/db";
import { signApplication, startPlatformWorld, usePlatformWorld } from "../../../test/platform/platform-world";
import { getIdentityVerificationOrThrow } from "./get-identity-verification";
import { verifyIdentity } from "./verify-identity";

const APPLICATION = { kind: "account-opening", product: "普通預金", appliedAt: "2026-11-25" };

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("expected a rejection");
}

describe("identity verification (本人確認) against the simulated J-LIS over HTTP", () => {
  const db = useTestDatabase();
  const world = usePlatformWorld();

  it("[IDENTITY][FACTS]: verifies an attached application, returns the four facts to identity:facts and logs the access for the bound resident", async () => {
    const { prisma } = db();
    const ctx = world().context(prisma);
    const partner = await world().partner(prisma, { scopes: ["identity:verify", "identity:facts"] });
    const { resident, card } = await world().resident(prisma);
    const body = await signApplication(card.sign!, APPLICATION);
    const v = await verifyIdentity(ctx, {
      partner,
      request: { signedData: body.signedData, purpose: "口座開設の本人確認" },
    });
    expect(v.status).toBe("verified");
    expect(v.facts?.name).toBe(`${resident.familyName}　${resident.givenName}`);
    expect(v.facts?.address).toBe(resident.address);
    expect(v.checks.find((c) => c.code === "CERT_REVOCATION")).toEqual({ code: "CERT_REVOCATION", ok: true });
    expect(v.signer.serialNumber).toBe(card.sign!.serial);
    const row = await prisma.identityVerification.findUniqueOrThrow({ where: { id: v.id } });
    expect(row.residentId).toBe(resident.id);
    expect(row.signerIssuerFingerprint).toMatch(/^[0-9a-f]{64}$/);
    // The platform keeps parsed facts and issuer + serial, never the certificate (docs/jpki.md#identity-verification).
    expect(JSON.stringify(row)).not.toContain(Buffer.from(card.sign!.certificate).toString("base64").slice(0, 40));
    const audit = await prisma.auditEvent.findMany({
      where: { subjectResidentId: resident.id, type: "partner.api_access" },
    });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorType: "partner", actorId: partner.partnerId, purpose: "口座開設の本人確認" });
    // Fetch again: same partner only.
    const again = await getIdentityVerificationOrThrow(ctx, { partner, verificationId: v.id });
    expect(again.facts).toEqual(v.facts);
    const other = await world().partner(prisma, { scopes: ["identity:verify", "identity:facts"] });
    expect((await rejection(getIdentityVerificationOrThrow(ctx, { partner: other, verificationId: v.id }))).code).toBe(
      "NOT_FOUND",
    );
  });

  it("[IDENTITY][SCOPE]: omits the four facts without identity:facts, on create and on fetch", async () => {
    const { prisma } = db();
    const ctx = world().context(prisma);
    const partner = await world().partner(prisma, { scopes: ["identity:verify"] });
    const { card } = await world().resident(prisma);
    const body = await signApplication(card.sign!, APPLICATION, { detached: true });
    const v = await verifyIdentity(ctx, { partner, request: { ...body, purpose: "契約" } });
    expect(v.status).toBe("verified");
    expect(v).not.toHaveProperty("facts");
    expect(await getIdentityVerificationOrThrow(ctx, { partner, verificationId: v.id })).not.toHaveProperty("facts");
  });

  it("[IDENTITY][RESIDENT]: finds the resident through the J-LIS sign → auth link when only the auth certificate is bound", async () => {
    const { prisma } = db();
    const ctx = world().context(prisma);
    const partner = await world().partner(prisma, { scopes: ["identity:verify"] });
    const bound = await world().resident(prisma, { bindAuth: true });
    const unbound = await world().resident(prisma, { bindAuth: false });
    const a = await verifyIdentity(ctx, {
      partner,
      request: { ...(await signApplication(bound.card.sign!, APPLICATION)), purpose: "p" },
    });
    const b = await verifyIdentity(ctx, {
      partner,
      request: { signedData: (await signApplication(unbound.card.sign!, APPLICATION)).signedData, purpose: "p" },
    });
    expect((await prisma.identityVerification.findUniqueOrThrow({ where: { id: a.id } })).residentId).toBe(
      bound.resident.id,
    );
    expect((await prisma.identityVerification.findUniqueOrThrow({ where: { id: b.id } })).residentId).toBeNull();
  });

  it("[IDENTITY][RESIDENT][ODD_SERIAL]: an auth serial with an odd number of hex digits still finds its binding (regression: 1 J-LIS in 16 flaked)", async () => {
    const { prisma } = db();
    const odd = await startPlatformWorld({ serialStart: 0x1000000n });
    try {
      const ctx = odd.context(prisma);
      const partner = await odd.partner(prisma, { scopes: ["identity:verify"] });
      const { resident, card } = await odd.resident(prisma);
      expect(card.auth.serial.length % 2).toBe(1);
      const v = await verifyIdentity(ctx, {
        partner,
        request: { ...(await signApplication(card.sign!, APPLICATION)), purpose: "p" },
      });
      expect((await prisma.identityVerification.findUniqueOrThrow({ where: { id: v.id } })).residentId).toBe(
        resident.id,
      );
    } finally {
      await odd.close();
    }
  });

  it("[IDENTITY][REJECT]: each bad input has its stable code; signer-identified rejections are stored", async () => {
    const { prisma } = db();
    const ctx = world().context(prisma);
    const partner = await world().partner(prisma, { scopes: ["identity:verify", "identity:facts"] });
    const { card } = await world().resident(prisma);
    const good = await signApplication(card.sign!, APPLICATION, { detached: true });

    // Not CMS at all.
    const garbage = await rejection(
      verifyIdentity(ctx, {
        partner,
        request: { signedData: Buffer.from("not cms").toString("base64"), purpose: "p" },
      }),
    );
    expect([garbage.code, garbage.status]).toEqual(["CMS_MALFORMED", 400]);
    // Not base64 / no purpose: schema.
    await expect(verifyIdentity(ctx, { partner, request: { signedData: "***", purpose: "p" } })).rejects.toThrow();
    await expect(verifyIdentity(ctx, { partner, request: { signedData: good.signedData } })).rejects.toThrow();
    // Detached signature without its content.
    expect(
      (await rejection(verifyIdentity(ctx, { partner, request: { signedData: good.signedData, purpose: "p" } }))).code,
    ).toBe("CMS_MALFORMED");
    // Content changed after signing.
    const tampered = Buffer.from(JSON.stringify({ ...APPLICATION, product: "外貨預金" })).toString("base64");
    const bad = await rejection(
      verifyIdentity(ctx, { partner, request: { signedData: good.signedData, content: tampered, purpose: "p" } }),
    );
    expect([bad.code, bad.status]).toEqual(["SIGNATURE_INVALID", 422]);
    const badId = (bad.details as { verificationId: string }).verificationId;
    const stored = await prisma.identityVerification.findUniqueOrThrow({ where: { id: badId } });
    expect([stored.status, stored.failureCode, stored.facts]).toEqual(["REJECTED", "SIGNATURE_INVALID", null]);
    // The user-authentication certificate signs too, but it is not for applications.
    const auth = await signApplication(card.auth, APPLICATION);
    const wrong = await rejection(verifyIdentity(ctx, { partner, request: { ...auth, purpose: "p" } }));
    expect(wrong.code).toBe("CERT_WRONG_PURPOSE");
    // Signing certificate past notAfter at verification time (signature made while valid).
    const notAfter = (await verifyIdentity(ctx, { partner, request: { ...good, purpose: "p" } })).signer.notAfter;
    const later = world().context(prisma);
    later.now = () => new Date(new Date(notAfter).getTime() + 86_400_000);
    expect((await rejection(verifyIdentity(later, { partner, request: { ...good, purpose: "p" } }))).code).toBe(
      "CERT_EXPIRED",
    );
    // A signing time in the future.
    const future = await signApplication(card.sign!, APPLICATION, { signingTime: new Date(Date.now() + 3_600_000) });
    expect((await rejection(verifyIdentity(ctx, { partner, request: { ...future, purpose: "p" } }))).code).toBe(
      "SIGNATURE_INVALID",
    );
  });

  it("[IDENTITY][REVOKED]: a signing certificate revoked a moment ago is CERT_REVOKED (OCSP, no cache)", async () => {
    const { prisma } = db();
    const ctx = world().context(prisma);
    const partner = await world().partner(prisma, { scopes: ["identity:verify"] });
    const { resident, card } = await world().resident(prisma);
    const body = await signApplication(card.sign!, APPLICATION);
    expect((await verifyIdentity(ctx, { partner, request: { ...body, purpose: "p" } })).status).toBe("verified");
    await world().jlis.changeFacts({
      residentRef: resident.registryNumber,
      facts: { address: "徳島県一枚町本町二丁目１番地" },
    });
    const e = await rejection(verifyIdentity(ctx, { partner, request: { ...body, purpose: "p" } }));
    expect(e.code).toBe("CERT_REVOKED");
    expect(JSON.stringify(e.details)).toContain("affiliationChanged");
  });

  it("[IDENTITY][JLIS_DOWN]: J-LIS unreachable is CERT_STATUS_UNAVAILABLE and nothing is stored", async () => {
    const { prisma } = db();
    const ctx = world().context(prisma);
    ctx.jlis = createJlisClient({ baseUrl: "http://127.0.0.1:9/jlis" });
    const partner = await world().partner(prisma, { scopes: ["identity:verify"] });
    const { card } = await world().resident(prisma);
    const before = await prisma.identityVerification.count();
    const e = await rejection(
      verifyIdentity(ctx, { partner, request: { ...(await signApplication(card.sign!, APPLICATION)), purpose: "p" } }),
    );
    expect([e.code, e.status]).toEqual(["CERT_STATUS_UNAVAILABLE", 503]);
    expect(await prisma.identityVerification.count()).toBe(before);
  });
});
