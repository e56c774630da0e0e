import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshWindowTime, secondsToWindowEnd } from "@/test/rate-limit/window-clock";
import { bindingConsentText } from "@/lib/auth/binding-consent";
import { LOGIN_RATE_LIMITS, loginRateLimits } from "@/lib/auth/login-rate-limits";
import { makeToken, PORTAL, signText, startJpkiWorld, type TJpkiWorld } from "@/test/auth/jpki-world";
import { type TCardLoginContext, verifyCardLogin } from "@/lib/auth/verify-card-login";
import { sha256Hex } from "@/lib/crypto/sha256";
import { useTestDatabase } from "@/test/db";
import { seedResident } from "@/prisma/seed/factories";
import { serveForTest } from "../../../../test/api/serve-for-test";
import { createChallengeHandler } from "../challenge/handler";
import { createBindHandler } from "./handler";

type TCard = Awaited<ReturnType<TJpkiWorld["issueCardFor"]>>;

describe("first-login binding over real HTTP: the card login's per-address failure limit", () => {
  const db = useTestDatabase();
  let world: TJpkiWorld;
  let ctx: TCardLoginContext;
  let origin: string;
  let close: () => Promise<void>;
  const WINDOW = LOGIN_RATE_LIMITS.failurePerIp.windowMs;
  const LIMIT = LOGIN_RATE_LIMITS.failurePerIp.limit;
  let now = new Date();

  beforeAll(async () => {
    world = await startJpkiWorld();
    ctx = world.context(db().prisma, { rateLimits: loginRateLimits(1), now: () => now });
    const challenge = createChallengeHandler({
      getPrisma: async () => db().prisma,
      portalOrigin: () => PORTAL,
      // Challenges are not what is tested here.
      limits: null,
      now: () => now,
    });
    const bind = createBindHandler({ getContext: async () => ctx });
    ({ origin, close } = await serveForTest([
      { method: "POST", pattern: /^\/api\/card\/challenge$/, handler: (r) => challenge(r) },
      { method: "POST", pattern: /^\/api\/card\/bind$/, handler: (r) => bind(r) },
    ]));
  });
  afterAll(async () => {
    await close?.();
    await world?.close();
  });

  /** A binding challenge for a new browser: the nonce and the binding cookie. */
  async function bindingChallenge(xff: string): Promise<{ nonce: string; cookie: string }> {
    const res = await fetch(`${origin}/api/card/challenge`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: PORTAL, "x-forwarded-for": xff },
      body: JSON.stringify({ purpose: "binding" }),
    });
    expect(res.status).toBe(200);
    const { nonce } = (await res.json()) as { nonce: string };
    return { nonce, cookie: /ichimai-card=[^;]+/.exec(res.headers.get("set-cookie") ?? "")?.[0] ?? "" };
  }

  /** POST /api/card/bind as the first-login page does; `consentText` tampers with the signed text. */
  async function bind(card: TCard, o: { xff: string; tamper?: boolean }) {
    const { nonce, cookie } = await bindingChallenge(o.xff);
    const consent = bindingConsentText({
      origin: PORTAL,
      nonce,
      authCertificateSha256: sha256Hex(card.auth.certificate),
    });
    const body = {
      nonce,
      authToken: await makeToken(card.auth, nonce),
      consent,
      consentSignature: await signText(card.sign!, o.tamper ? `${consent} ` : consent),
      signCertificate: Buffer.from(card.sign!.certificate).toString("base64"),
    };
    return postBind(body, { cookie, xff: o.xff });
  }

  /** A well-formed binding for a challenge nobody issued: the cheapest failure (CHALLENGE_UNKNOWN). */
  const bogusBind = (xff: string) =>
    postBind(
      {
        nonce: Buffer.alloc(32, 7).toString("base64"),
        authToken: "x".repeat(200),
        consent: "c".repeat(60),
        consentSignature: "AAAA",
        signCertificate: "AAAA",
      },
      { xff },
    );

  async function postBind(body: unknown, o: { xff: string; cookie?: string }) {
    const res = await fetch(`${origin}/api/card/bind`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        origin: PORTAL,
        "x-forwarded-for": o.xff,
        ...(o.cookie ? { cookie: o.cookie } : {}),
      },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as { bound?: boolean; error?: { code: string } };
    return { status: res.status, code: json.error?.code ?? "OK", retryAfter: res.headers.get("retry-after") };
  }

  it("refuses binding from an address that used up its failures, with 429, Retry-After and RATE_LIMITED", async () => {
    now = freshWindowTime(WINDOW);
    const ip = "198.51.100.30";
    const card = await world.issueCardFor(await seedResident(db().prisma));
    // A real failure (consent signed over other text) counts like the cheap ones.
    expect(await bind(card, { xff: ip, tamper: true })).toMatchObject({ status: 401, code: "SIGNATURE_INVALID" });
    for (let i = 1; i < LIMIT; i++) {
      expect((await bogusBind(ip)).code, `failure ${i + 1}`).toBe("CHALLENGE_UNKNOWN");
    }
    // Refused before any check, even a binding that would succeed.
    expect(await bind(card, { xff: ip })).toEqual({
      status: 429,
      code: "RATE_LIMITED",
      retryAfter: secondsToWindowEnd(now, WINDOW),
    });
    // A client-chosen X-Forwarded-For in front of the proxy's entry does not give a new key.
    expect((await bind(card, { xff: `203.0.113.99, ${ip}` })).code).toBe("RATE_LIMITED");
    // From another address the same card binds.
    expect(await bind(card, { xff: "198.51.100.31" })).toMatchObject({ status: 200, code: "OK" });

    const refused = await db().prisma.auditEvent.findMany({ where: { type: "auth.rate_limited", ip } });
    expect(refused).toHaveLength(1);
    expect(refused[0]?.data).toMatchObject({ limit: "failurePerIp", method: "card_binding", step: "verification" });
  });

  it("does not count successful bindings; binding and card-login failures share one budget", async () => {
    now = freshWindowTime(WINDOW);
    const ip = "198.51.100.40";
    for (let i = 0; i < LIMIT - 2; i++) expect((await bogusBind(ip)).code).toBe("CHALLENGE_UNKNOWN");
    // Successes (a new binding, then the same card again: alreadyBound) give their slot back.
    const card = await world.issueCardFor(await seedResident(db().prisma));
    expect((await bind(card, { xff: ip })).code).toBe("OK");
    expect((await bind(card, { xff: ip })).code).toBe("OK");
    // One failed card login from the same address (LIMIT - 1), one more failed binding (LIMIT) …
    await expect(verifyCardLogin(ctx, { token: "{}", nonce: "n".repeat(20), binding: "b", ip })).rejects.toMatchObject({
      code: "CHALLENGE_UNKNOWN",
    });
    expect((await bogusBind(ip)).code).toBe("CHALLENGE_UNKNOWN");
    // … and the next attempt of either kind is refused.
    expect((await bogusBind(ip)).code).toBe("RATE_LIMITED");
    await expect(verifyCardLogin(ctx, { token: "{}", nonce: "n".repeat(20), binding: "b", ip })).rejects.toMatchObject({
      code: "RATE_LIMITED",
    });
  });

  it("records the address the trusted proxy saw, not one the client prepended", async () => {
    now = freshWindowTime(WINDOW);
    const resident = await seedResident(db().prisma);
    const card = await world.issueCardFor(resident);
    expect((await bind(card, { xff: "203.0.113.66, 198.51.100.50" })).code).toBe("OK");
    const bound = await db().prisma.auditEvent.findFirst({
      where: { type: "certificate.bound", subjectResidentId: resident.id },
    });
    expect(bound?.ip).toBe("198.51.100.50");
  });
});
