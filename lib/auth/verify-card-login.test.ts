import { bindAuthCertificate } from "../../test/auth/bind-auth-certificate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Resident } from "../../generated/prisma/client";
import { seedResident } from "../../prisma/seed/factories";
import { AppError } from "../errors/app-error";
import { createJlisClient } from "../jlis/client";
import { useTestDatabase } from "../../test/db";
import { bindCardCertificate } from "./bind-card-certificate";
import { bindingConsentText } from "./binding-consent";
import { issueChallenge } from "./challenge";
import { factsOf, makeToken, PORTAL, signText, startJpkiWorld, type TJpkiWorld } from "../../test/auth/jpki-world";
import { sha256Hex } from "../crypto/sha256";
import { canonicalSerial } from "../jpki/serial";
import { type TCardLoginContext, verifyCardLogin } from "./verify-card-login";

const BINDING = "browser-session-binding-value-0123456789abcdef";

describe("card login (Web eID token, JPKI auth certificate, simulated J-LIS over HTTP)", () => {
  const db = useTestDatabase();
  let world: TJpkiWorld;
  let ctx: TCardLoginContext;

  beforeAll(async () => {
    world = await startJpkiWorld();
  });
  afterAll(async () => {
    await world?.close();
  });

  /** A resident with a card whose AUTH certificate is bound (as after a first login). */
  async function boundResident(): Promise<{
    resident: Resident;
    card: Awaited<ReturnType<TJpkiWorld["issueCardFor"]>>;
  }> {
    const { prisma } = db();
    ctx ??= world.context(prisma);
    const resident = await seedResident(prisma);
    const card = await world.issueCardFor(resident);
    await bindAuthCertificate(prisma, resident.id, card.auth);
    return { resident, card };
  }

  async function challenge(o: { origin?: string; now?: Date; binding?: string; purpose?: "login" | "binding" } = {}) {
    const { nonce } = await issueChallenge(db().prisma, {
      binding: o.binding ?? BINDING,
      origin: o.origin ?? PORTAL,
      purpose: o.purpose,
      now: o.now,
      // One binding for every test here; the issuance limits are tested in app/api/card/challenge.
      limits: null,
    });
    return nonce;
  }

  async function rejection(p: Promise<unknown>): Promise<string> {
    try {
      await p;
    } catch (e) {
      if (e instanceof AppError) return e.code;
      throw e;
    }
    throw new Error("expected a rejection");
  }

  it("logs a bound resident in and writes auth.login_succeeded", async () => {
    const { resident, card } = await boundResident();
    const nonce = await challenge();
    const result = await verifyCardLogin(ctx, {
      token: await makeToken(card.auth, nonce),
      nonce,
      binding: BINDING,
      requestOrigin: PORTAL,
    });
    expect(result.residentId).toBe(resident.id);
    expect(result.displayName).toBe(`${resident.familyName} ${resident.givenName}`);
    const events = await db().prisma.auditEvent.findMany({ where: { subjectResidentId: resident.id } });
    expect(events.map((e) => e.type)).toEqual(["auth.login_succeeded"]);
  });

  it("refuses a replayed token (the nonce is single use)", async () => {
    const { card } = await boundResident();
    const nonce = await challenge();
    const token = await makeToken(card.auth, nonce);
    await verifyCardLogin(ctx, { token, nonce, binding: BINDING });
    expect(await rejection(verifyCardLogin(ctx, { token, nonce, binding: BINDING }))).toBe("CHALLENGE_REPLAYED");
  });

  it("refuses an expired challenge and one issued to another browser", async () => {
    const { card } = await boundResident();
    const old = await challenge({ now: new Date(Date.now() - 6 * 60_000) });
    expect(
      await rejection(verifyCardLogin(ctx, { token: await makeToken(card.auth, old), nonce: old, binding: BINDING })),
    ).toBe("CHALLENGE_EXPIRED");
    const other = await challenge({ binding: "another-browser-binding-value-0123456789" });
    expect(
      await rejection(
        verifyCardLogin(ctx, { token: await makeToken(card.auth, other), nonce: other, binding: BINDING }),
      ),
    ).toBe("CHALLENGE_UNKNOWN");
    const fresh = await challenge();
    expect(
      await rejection(
        verifyCardLogin(ctx, { token: await makeToken(card.auth, fresh), nonce: fresh, binding: undefined }),
      ),
    ).toBe("CHALLENGE_UNKNOWN");
  });

  it("refuses a wrong origin: challenge requested elsewhere, posted from elsewhere, or signed for another site", async () => {
    const { card } = await boundResident();
    const phished = await challenge({ origin: "https://ichimai.evil.example" });
    expect(
      await rejection(
        verifyCardLogin(ctx, { token: await makeToken(card.auth, phished), nonce: phished, binding: BINDING }),
      ),
    ).toBe("ORIGIN_MISMATCH");
    const n2 = await challenge();
    expect(
      await rejection(
        verifyCardLogin(ctx, {
          token: await makeToken(card.auth, n2),
          nonce: n2,
          binding: BINDING,
          requestOrigin: "https://ichimai.evil.example",
        }),
      ),
    ).toBe("ORIGIN_MISMATCH");
    const n3 = await challenge();
    const relayed = await makeToken(card.auth, n3, "https://ichimai.evil.example");
    expect(await rejection(verifyCardLogin(ctx, { token: relayed, nonce: n3, binding: BINDING }))).toBe(
      "SIGNATURE_INVALID",
    );
  });

  it("refuses the signing certificate offered for login (CERT_WRONG_PURPOSE)", async () => {
    const { card } = await boundResident();
    const nonce = await challenge();
    expect(card.sign).toBeDefined();
    const token = await makeToken(card.sign!, nonce);
    expect(await rejection(verifyCardLogin(ctx, { token, nonce, binding: BINDING }))).toBe("CERT_WRONG_PURPOSE");
  });

  it("refuses a revoked card (lost-card report, OCSP says revoked)", async () => {
    const { resident, card } = await boundResident();
    await world.jlis.reportLost({ residentRef: resident.registryNumber });
    const nonce = await challenge();
    expect(
      await rejection(verifyCardLogin(ctx, { token: await makeToken(card.auth, nonce), nonce, binding: BINDING })),
    ).toBe("CERT_REVOKED");
    const failed = await db().prisma.auditEvent.findMany({ where: { type: "auth.login_failed" } });
    expect(failed.some((e) => (e.data as { code?: string }).code === "CERT_REVOKED")).toBe(true);
  });

  it("answers CARD_UNKNOWN for a valid card that is bound to nobody", async () => {
    const resident = await seedResident(db().prisma);
    ctx ??= world.context(db().prisma);
    const card = await world.issueCardFor(resident);
    const nonce = await challenge();
    expect(
      await rejection(verifyCardLogin(ctx, { token: await makeToken(card.auth, nonce), nonce, binding: BINDING })),
    ).toBe("CARD_UNKNOWN");
  });

  it("refuses a bad signature, a certificate from outside JPKI and a malformed token", async () => {
    const { card } = await boundResident();
    const other = await boundResident();
    const nonce = await challenge();
    // Another card's key over the right data, presented with this card's certificate.
    const forged = JSON.parse(await makeToken(other.card.auth, nonce)) as Record<string, string>;
    forged.unverifiedCertificate = Buffer.from(card.auth.certificate).toString("base64");
    expect(await rejection(verifyCardLogin(ctx, { token: JSON.stringify(forged), nonce, binding: BINDING }))).toBe(
      "SIGNATURE_INVALID",
    );
    const n2 = await challenge();
    const untrusted = world.context(db().prisma, {
      authTrustAnchors: [world.jlis.trustAnchors({ purpose: "sign" })[0]!],
    });
    expect(
      await rejection(
        verifyCardLogin(untrusted, { token: await makeToken(card.auth, n2), nonce: n2, binding: BINDING }),
      ),
    ).toBe("CERT_UNTRUSTED");
    const n3 = await challenge();
    expect(
      await rejection(verifyCardLogin(ctx, { token: '{"format":"web-eid:1.0"}', nonce: n3, binding: BINDING })),
    ).toBe("VALIDATION_FAILED");
  });

  it("never accepts when J-LIS cannot be asked (OCSP and CRL unavailable)", async () => {
    const { card } = await boundResident();
    const offline = world.context(db().prisma, {
      jlis: createJlisClient({ baseUrl: "http://127.0.0.1:9/jlis" }),
    });
    const nonce = await challenge();
    expect(
      await rejection(verifyCardLogin(offline, { token: await makeToken(card.auth, nonce), nonce, binding: BINDING })),
    ).toBe("CERT_STATUS_UNAVAILABLE");
    // Wrong verifier credentials: J-LIS answers 401, which is no answer about the card either.
    const stranger = world.context(db().prisma, {
      jlis: createJlisClient({
        baseUrl: `${world.server.url}/jlis`,
        verifierId: "ichimai-portal",
        verifierSecret: "not-the-registered-secret",
      }),
    });
    const n2 = await challenge();
    expect(
      await rejection(
        verifyCardLogin(stranger, { token: await makeToken(card.auth, n2), nonce: n2, binding: BINDING }),
      ),
    ).toBe("CERT_STATUS_UNAVAILABLE");
  });

  it("re-binds a renewed card through J-LIS's old → new link without asking", async () => {
    const { resident } = await boundResident();
    const renewed = await world.jlis.renew({ residentRef: resident.registryNumber });
    const nonce = await challenge();
    const result = await verifyCardLogin(ctx, { token: await makeToken(renewed.auth, nonce), nonce, binding: BINDING });
    expect(result).toMatchObject({ residentId: resident.id, rebound: true });
    const bindings = await db().prisma.certificateBinding.findMany({
      where: { residentId: resident.id, kind: "AUTH" },
      orderBy: { boundAt: "asc" },
    });
    expect(bindings.map((b) => b.status)).toEqual(["SUPERSEDED", "ACTIVE"]);
    expect(bindings[1]!.replacesId).toBe(bindings[0]!.id);
    // The next login with the new card is a plain one.
    const n2 = await challenge();
    expect(
      await verifyCardLogin(ctx, { token: await makeToken(renewed.auth, n2), nonce: n2, binding: BINDING }),
    ).toMatchObject({
      rebound: false,
    });
  });

  it("reads renewals only from J-LIS CRLs that verify against its anchors and are current", async () => {
    const { resident, card } = await boundResident();
    await world.jlis.renew({ residentRef: resident.registryNumber });
    const old = canonicalSerial(card.auth.serial);
    const now = new Date();
    expect(await ctx.jlis.supersededAmong([old], { issuers: ctx.authTrustAnchors, now })).toEqual([old]);
    // A CRL from an issuer we do not trust tells us nothing.
    expect(await ctx.jlis.supersededAmong([old], { issuers: [], now })).toEqual([]);
    // A CRL past its nextUpdate is refused with its code, not read.
    const later = new Date(now.getTime() + 400 * 86_400_000);
    expect(await rejection(ctx.jlis.supersededAmong([old], { issuers: ctx.authTrustAnchors, now: later }))).toBe(
      "CRL_STALE",
    );
  });

  describe("first login: binding consent signed with the signing certificate", () => {
    async function bindRequest(card: Awaited<ReturnType<TJpkiWorld["issueCardFor"]>>, signWith = card.sign!) {
      const nonce = await challenge({ purpose: "binding" });
      const consent = bindingConsentText({
        origin: PORTAL,
        nonce,
        authCertificateSha256: sha256Hex(card.auth.certificate),
      });
      return {
        nonce,
        authToken: await makeToken(card.auth, nonce),
        consent,
        consentSignature: await signText(signWith, consent),
        signCertificate: Buffer.from(signWith.certificate).toString("base64"),
      };
    }

    it("binds the card when the four facts match the registry, then login succeeds", async () => {
      const resident = await seedResident(db().prisma);
      ctx ??= world.context(db().prisma);
      const card = await world.issueCardFor(resident);
      const result = await bindCardCertificate(ctx, { body: await bindRequest(card), binding: BINDING });
      expect(result).toMatchObject({ residentId: resident.id, alreadyBound: false });
      const kinds = await db().prisma.certificateBinding.findMany({ where: { residentId: resident.id } });
      expect(kinds.map((b) => b.kind).sort()).toEqual(["AUTH", "SIGN"]);
      const bound = await db().prisma.auditEvent.findFirst({
        where: { type: "certificate.bound", subjectResidentId: resident.id },
      });
      expect(bound).not.toBeNull();
      const nonce = await challenge();
      expect(
        await verifyCardLogin(ctx, { token: await makeToken(card.auth, nonce), nonce, binding: BINDING }),
      ).toMatchObject({
        residentId: resident.id,
      });
    });

    it("refuses when the facts match no resident, or the signing certificate is another card's", async () => {
      const { prisma } = db();
      const resident = await seedResident(prisma);
      const card = await world.issueCardFor(resident);
      await prisma.resident.update({ where: { id: resident.id }, data: { address: `${resident.address}別館` } });
      expect(await rejection(bindCardCertificate(ctx, { body: await bindRequest(card), binding: BINDING }))).toBe(
        "CARD_FACTS_MISMATCH",
      );
      const someoneElse = await seedResident(prisma);
      const theirCard = await world.issueCardFor(someoneElse);
      expect(
        await rejection(bindCardCertificate(ctx, { body: await bindRequest(card, theirCard.sign!), binding: BINDING })),
      ).toBe("CARD_BINDING_MISMATCH");
    });

    it("refuses a consent signed over other text, and the auth certificate in the sign role", async () => {
      const resident = await seedResident(db().prisma);
      const card = await world.issueCardFor(resident);
      const body = await bindRequest(card);
      const tampered = { ...body, consentSignature: await signText(card.sign!, `${body.consent} `) };
      expect(await rejection(bindCardCertificate(ctx, { body: tampered, binding: BINDING }))).toBe("SIGNATURE_INVALID");
      const wrongRole = await bindRequest(card, card.auth);
      expect(await rejection(bindCardCertificate(ctx, { body: wrongRole, binding: BINDING }))).toBe(
        "CERT_WRONG_PURPOSE",
      );
      expect(factsOf(resident).name).toContain("\u3000");
    });
  });
});
