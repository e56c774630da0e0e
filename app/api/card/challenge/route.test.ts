import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshWindowTime, secondsToWindowEnd } from "@/test/rate-limit/window-clock";
import { loginErrorResponse } from "@/app/_server/login-request";
import { readCookie } from "@/lib/auth/binding-cookie";
import { LOGIN_RATE_LIMITS, loginRateLimits } from "@/lib/auth/login-rate-limits";
import { makeToken, PORTAL, startJpkiWorld, type TJpkiWorld } from "@/test/auth/jpki-world";
import { verifyCardLogin } from "@/lib/auth/verify-card-login";
import { canonicalSerial } from "@/lib/jpki/serial";
import { requestMetadataOf } from "@/lib/http/request-metadata";
import { parseCertificate } from "@/lib/jpki/certificate";
import { useTestDatabase } from "@/test/db";
import { seedResident } from "@/prisma/seed/factories";
import { serveForTest } from "../../../../test/api/serve-for-test";
import { createChallengeHandler } from "./handler";

const COOKIE = "ichimai-card";

type TCard = Awaited<ReturnType<TJpkiWorld["issueCardFor"]>>;

describe("card-login rate limits over real HTTP", () => {
  const db = useTestDatabase();
  let world: TJpkiWorld;
  let origin: string;
  let close: () => Promise<void>;
  // The challenge route's clock, fixed so that no test straddles a window boundary.
  let now = new Date("2026-12-01T09:00:10Z");

  beforeAll(async () => {
    world = await startJpkiWorld();
    const ctx = () => world.context(db().prisma, { rateLimits: loginRateLimits(1), now: () => now });
    const challenge = createChallengeHandler({
      getPrisma: async () => db().prisma,
      portalOrigin: () => PORTAL,
      limits: loginRateLimits(1),
      now: () => now,
    });
    // Stands in for next-auth's card provider (app/_server/auth.ts signInWith): the same request
    // metadata, verifyCardLogin, and the error mapping the login routes use.
    const login = async (request: Request) => {
      try {
        const body = (await request.json()) as { token: string; nonce: string };
        const meta = requestMetadataOf(request.headers);
        const done = await verifyCardLogin(ctx(), {
          token: body.token,
          nonce: body.nonce,
          binding: readCookie(request.headers.get("cookie"), COOKIE),
          ip: meta.ip,
          userAgent: meta.userAgent,
        });
        return Response.json({ residentId: done.residentId });
      } catch (e) {
        return loginErrorResponse(e);
      }
    };
    ({ origin, close } = await serveForTest([
      { method: "POST", pattern: /^\/api\/card\/challenge$/, handler: (r) => challenge(r) },
      { method: "POST", pattern: /^\/test\/card-login$/, handler: (r) => login(r) },
    ]));
  });
  afterAll(async () => {
    await close?.();
    await world?.close();
  });

  const postChallenge = (headers: Record<string, string> = {}) =>
    fetch(`${origin}/api/card/challenge`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: PORTAL, ...headers },
      body: JSON.stringify({ purpose: "login" }),
    });

  const rateLimitedEvents = (where: object = {}) =>
    db().prisma.auditEvent.findMany({ where: { type: "auth.rate_limited", ...where }, orderBy: { seq: "asc" } });

  it("refuses the (limit+1)-th challenge from one address with 429, Retry-After and RATE_LIMITED", async () => {
    now = new Date("2026-12-01T09:00:10Z");
    const ip = "198.51.100.7";
    const limit = LOGIN_RATE_LIMITS.challengePerIp.limit;
    // No cookie: every request is a new browser binding, so only the address limit applies.
    for (let i = 0; i < limit; i++) {
      const res = await postChallenge({ "x-forwarded-for": ip });
      expect(res.status, `request ${i + 1}`).toBe(200);
    }
    const refused = await postChallenge({ "x-forwarded-for": ip });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("50");
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("RATE_LIMITED");
    // A client-chosen X-Forwarded-For in front of the proxy's entry does not give a new key.
    expect((await postChallenge({ "x-forwarded-for": `203.0.113.99, ${ip}` })).status).toBe(429);
    // Another address is not affected; the next window starts afresh.
    expect((await postChallenge({ "x-forwarded-for": "198.51.100.8" })).status).toBe(200);
    now = new Date("2026-12-01T09:01:00Z");
    expect((await postChallenge({ "x-forwarded-for": ip })).status).toBe(200);
    // One audit event for the refused address and window, not one per refused request.
    const events = await rateLimitedEvents({ ip });
    expect(events).toHaveLength(1);
    expect(events[0]?.data).toMatchObject({ limit: "challengePerIp", step: "challenge", purpose: "login" });
  });

  it("refuses the (limit+1)-th challenge of one browser binding", async () => {
    now = new Date("2026-12-01T09:10:30Z");
    const first = await postChallenge({ "x-forwarded-for": "198.51.100.20" });
    const binding = /ichimai-card=([^;]+)/.exec(first.headers.get("set-cookie") ?? "")?.[1];
    expect(binding).toBeTruthy();
    const cookie = `${COOKIE}=${binding}`;
    const limit = LOGIN_RATE_LIMITS.challengePerBinding.limit;
    // Each from another address: only the binding limit applies.
    for (let i = 1; i < limit; i++) {
      expect((await postChallenge({ cookie, "x-forwarded-for": `198.51.100.${21 + i}` })).status).toBe(200);
    }
    const refused = await postChallenge({ cookie, "x-forwarded-for": "198.51.100.99" });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("30");
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("RATE_LIMITED");
  });

  describe("failed card verifications", () => {
    const cards: TCard[] = [];
    const card = (i: number) => cards[i] as TCard;
    const WINDOW = LOGIN_RATE_LIMITS.failurePerCertificate.windowMs;

    beforeAll(async () => {
      const { prisma } = db();
      for (let i = 0; i < 6; i++) {
        const resident = await seedResident(prisma);
        const issued = await world.issueCardFor(resident);
        const cert = parseCertificate(issued.auth.certificate);
        await prisma.certificateBinding.create({
          data: {
            residentId: resident.id,
            kind: "AUTH",
            issuerDn: cert.issuer.text,
            serialNumber: canonicalSerial(issued.auth.serial),
            fingerprint: cert.fingerprint,
            notBefore: cert.notBefore,
            notAfter: cert.notAfter,
          },
        });
        cards.push(issued);
      }
    });

    /** One login over HTTP: a challenge for a new browser, then the token (bad: signed over another nonce). */
    async function login(c: TCard, o: { ip: string; bad?: boolean }) {
      const res = await postChallenge({ "x-forwarded-for": o.ip });
      expect(res.status).toBe(200);
      const { nonce } = (await res.json()) as { nonce: string };
      const cookie = /ichimai-card=[^;]+/.exec(res.headers.get("set-cookie") ?? "")?.[0] ?? "";
      const signed = o.bad ? Buffer.alloc(32, 1).toString("base64") : nonce;
      const r = await fetch(`${origin}/test/card-login`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie, "x-forwarded-for": o.ip, origin: PORTAL },
        body: JSON.stringify({ token: await makeToken(c.auth, signed), nonce }),
      });
      const body = (await r.json()) as { residentId?: string; error?: { code: string } };
      return { status: r.status, code: body.error?.code ?? "OK", retryAfter: r.headers.get("retry-after") };
    }

    it("locks a certificate after its failures while another certificate still logs in; a success does not count", async () => {
      now = freshWindowTime(WINDOW);
      const [a, b] = [card(0), card(1)];
      const limit = LOGIN_RATE_LIMITS.failurePerCertificate.limit;
      // Each attempt from its own address, so only the certificate limit applies.
      for (let i = 0; i < limit; i++) {
        expect((await login(a, { ip: `192.0.2.${i + 1}`, bad: true })).code).toBe("SIGNATURE_INVALID");
      }
      // Refused even with a good signature, before the challenge or J-LIS is touched.
      expect(await login(a, { ip: "192.0.2.50" })).toEqual({
        status: 429,
        code: "RATE_LIMITED",
        retryAfter: secondsToWindowEnd(now, WINDOW),
      });
      expect(await login(b, { ip: "192.0.2.51" })).toMatchObject({ status: 200, code: "OK" });

      // Card B: limit-1 failures, then successes (not counted), then one more failure is still
      // only a failure; the attempt after that is refused.
      for (let i = 0; i < limit - 1; i++) {
        expect((await login(b, { ip: `192.0.2.${60 + i}`, bad: true })).code).toBe("SIGNATURE_INVALID");
      }
      for (let i = 0; i < 3; i++) expect((await login(b, { ip: `192.0.2.${70 + i}` })).code).toBe("OK");
      expect((await login(b, { ip: "192.0.2.80", bad: true })).code).toBe("SIGNATURE_INVALID");
      expect((await login(b, { ip: "192.0.2.81" })).code).toBe("RATE_LIMITED");

      // One audit event for card A's refusal, with what auth.login_failed records (issuer + serial).
      const serialA = canonicalSerial(a.auth.serial);
      const forA = (await rateLimitedEvents()).filter(
        (e) => (e.data as { serialNumber?: string }).serialNumber === serialA,
      );
      expect(forA).toHaveLength(1);
      expect(forA[0]?.data).toMatchObject({ limit: "failurePerCertificate", method: "card", step: "verification" });
      expect(forA[0]?.ip).toBe("192.0.2.50");
    });

    it("locks an address after its failures, for every certificate", async () => {
      now = freshWindowTime(WINDOW);
      const ip = "192.0.2.200";
      const limit = LOGIN_RATE_LIMITS.failurePerIp.limit;
      // Two certificates, each up to (not over) its own limit: 2 × 5 = 10 failures from one address.
      for (let i = 0; i < limit; i++) {
        expect((await login(card(2 + (i % 2)), { ip, bad: true })).code).toBe("SIGNATURE_INVALID");
      }
      expect(await login(card(4), { ip })).toMatchObject({ status: 429, code: "RATE_LIMITED" });
      // From another address card 4 logs in; card 2 has used up its own failures.
      expect((await login(card(4), { ip: "192.0.2.201" })).code).toBe("OK");
      expect((await login(card(2), { ip: "192.0.2.202" })).code).toBe("RATE_LIMITED");
    });

    it("does not count failures against a certificate that does not chain to a JPKI root", async () => {
      now = freshWindowTime(WINDOW);
      const c = card(5);
      // The same card verified with no trust anchors: CERT_UNTRUSTED, i.e. not proven genuine —
      // as a self-made certificate copying the card's issuer and serial would be.
      const untrusted = world.context(db().prisma, {
        rateLimits: loginRateLimits(1),
        authTrustAnchors: [],
        now: () => now,
      });
      for (let i = 0; i < LOGIN_RATE_LIMITS.failurePerCertificate.limit + 2; i++) {
        const res = await postChallenge({ "x-forwarded-for": `192.0.2.${100 + i}` });
        const { nonce } = (await res.json()) as { nonce: string };
        const binding = readCookie(res.headers.get("set-cookie")?.split(";")[0], COOKIE);
        await expect(
          verifyCardLogin(untrusted, {
            token: await makeToken(c.auth, nonce),
            nonce,
            binding,
            ip: `192.0.2.${100 + i}`,
          }),
        ).rejects.toMatchObject({ code: "CERT_UNTRUSTED" });
      }
      expect((await login(c, { ip: "192.0.2.150" })).code).toBe("OK");
    });
  });
});
