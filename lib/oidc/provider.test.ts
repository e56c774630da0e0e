import * as oc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedResident } from "@/prisma/seed/factories";
import { listAccessLog } from "@/lib/audit/list-access-log";
import { useTestDatabase } from "../../test/db";
import {
  PORTAL_COOKIE,
  portalCookieValue,
  startOidcWorld,
  TestBrowser,
  type TOidcWorld,
  type TTestRp,
} from "../../test/oidc/oidc-world";
import { listOidcConsents, withdrawOidcConsent } from "./consent";
import { rotateSigningKey } from "./keys";
import { ACR_CARD, ACR_PASSKEY } from "./provider";

type TFlowOptions = { scope: string; acr?: string; maxAge?: number; extra?: Record<string, string> };

async function authorize(b: TestBrowser, rp: TTestRp, o: TFlowOptions) {
  const verifier = oc.randomPKCECodeVerifier();
  const state = oc.randomState();
  const nonce = oc.randomNonce();
  const url = oc.buildAuthorizationUrl(rp.config, {
    redirect_uri: rp.redirectUri,
    scope: o.scope,
    code_challenge: await oc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
    nonce,
    ...(o.acr ? { acr_values: o.acr } : {}),
    ...(o.maxAge !== undefined ? { max_age: String(o.maxAge) } : {}),
    ...o.extra,
  });
  const res = await b.follow(url.href, [rp.redirectUri]);
  return { res, verifier, state, nonce };
}

/** The whole flow in one browser: log in (portal cookie), consent, code → tokens. */
async function signOn(
  b: TestBrowser,
  rp: TTestRp,
  o: TFlowOptions & { consent?: string[] },
): Promise<{ tokens: Awaited<ReturnType<typeof oc.authorizationCodeGrant>>; prompts: string[] }> {
  const prompts: string[] = [];
  const { res: first, verifier, state, nonce } = await authorize(b, rp, o);
  let res = first;
  if (res.status === 401) throw new Error(`login required: ${res.body}`);
  if (res.status === 200 && res.url.includes("/sso/interaction/")) {
    prompts.push("consent");
    res = await b.follow(`${res.url}/consent`, [rp.redirectUri], {
      method: "POST",
      body: JSON.stringify({ approved: o.consent ?? [] }),
      type: "application/json",
    });
  }
  expect(res.location?.startsWith(rp.redirectUri), `${res.status} ${res.location} ${res.body}`).toBe(true);
  const tokens = await oc.authorizationCodeGrant(rp.config, new URL(res.location!), {
    pkceCodeVerifier: verifier,
    expectedState: state,
    expectedNonce: nonce,
    idTokenExpected: true,
  });
  return { tokens, prompts };
}

/** openid-client wraps the check that failed (its message names the parameter) as the error's cause. */
function causeMentions(word: string) {
  return (e: unknown) => {
    const text = [e, (e as { cause?: unknown }).cause].map((x) => String((x as Error)?.message ?? "")).join(" ");
    if (!new RegExp(word, "i").test(text)) throw new Error(`error does not mention ${word}: ${text}`);
    return true;
  };
}

function b64urlJson(part: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;
}

/** Verifies an ID token's RS256 signature against the provider's published JWKS (WebCrypto). */
async function verifiesAgainstJwks(world: TOidcWorld, idToken: string): Promise<boolean> {
  const [h, p, s] = idToken.split(".") as [string, string, string];
  const { kid } = b64urlJson(h) as { kid: string };
  const jwks = (await (await fetch(`${world.issuer}/jwks`)).json()) as { keys: (JsonWebKey & { kid: string })[] };
  const jwk = jwks.keys.find((k) => k.kid === kid);
  if (!jwk) return false;
  const key = await crypto.subtle.importKey("jwk", jwk, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, [
    "verify",
  ]);
  return crypto.subtle.verify("RSASSA-PKCS1-v1_5", key, Buffer.from(s, "base64url"), Buffer.from(`${h}.${p}`));
}

describe("ichimai as an OpenID Provider (lib/oidc) over HTTP with openid-client", () => {
  const db = useTestDatabase();
  let world: TOidcWorld;
  let library: TTestRp;
  let school: TTestRp;
  let adult: { id: string; familyName: string; givenName: string; dateOfBirth: Date };
  let teen: { id: string };
  const now = Date.now();

  const browserFor = (residentId: string, assurance: "card" | "passkey" = "card", authTime = Date.now()) => {
    const b = new TestBrowser();
    b.setCookie(PORTAL_COOKIE, portalCookieValue({ residentId, assurance, authTime }));
    return b;
  };

  beforeAll(async () => {
    const prisma = db().prisma;
    adult = await seedResident(prisma, { dateOfBirth: new Date(Date.UTC(1980, 4, 5)) });
    teen = await seedResident(prisma, { dateOfBirth: new Date(now - 16 * 365.25 * 24 * 3600 * 1000) });
    world = await startOidcWorld(prisma);
    library = await world.registerClient({
      id: "test-library",
      name: "一枚町立図書館",
      nameEn: "Ichimai Town Library",
      allowedScopes: ["name", "address"],
      sectorIdentifier: "library.test",
    });
    school = await world.registerClient({
      id: "test-school",
      name: "一枚町 学校",
      nameEn: "Ichimai Town Schools",
      allowedScopes: ["age_over_18"],
      sectorIdentifier: "school.test",
    });
  });
  afterAll(async () => {
    await world?.close();
  });

  it("discovery: code flow only, S256 PKCE, pairwise subjects, the two acr values, one scope per claim", async () => {
    const meta = library.config.serverMetadata();
    expect(meta?.issuer).toBe(world.issuer);
    expect(meta?.response_types_supported).toEqual(["code"]);
    expect(meta?.code_challenge_methods_supported).toEqual(["S256"]);
    expect(meta?.subject_types_supported).toEqual(["pairwise"]);
    expect(meta?.acr_values_supported).toEqual([ACR_CARD, ACR_PASSKEY]);
    expect(meta?.scopes_supported).toEqual(expect.arrayContaining(["openid", "name", "age_over_18", "birthdate"]));
  });

  it("code + PKCE: the library gets the consented name (ID token and userinfo), acr card, and the release is audited", async () => {
    const b = browserFor(adult.id);
    const { tokens, prompts } = await signOn(b, library, { scope: "openid name", consent: ["name"] });
    expect(prompts).toEqual(["consent"]);
    const claims = tokens.claims()!;
    expect(claims.name).toBe(`${adult.familyName} ${adult.givenName}`);
    expect(claims.acr).toBe(ACR_CARD);
    expect(claims.sub).not.toBe(adult.id);
    const info = await oc.fetchUserInfo(library.config, tokens.access_token, claims.sub);
    expect(info.name).toBe(claims.name);
    expect(info.address).toBeUndefined();
    const events = await db().prisma.auditEvent.findMany({
      where: { subjectResidentId: adult.id, type: "oidc.claims_released" },
    });
    expect(events.map((e) => e.data)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ clientId: "test-library", claims: ["name"], use: "id_token" }),
        expect.objectContaining({ clientId: "test-library", claims: ["name"], use: "userinfo" }),
      ]),
    );
    // The resident's access log names the service and what it got.
    const log = await listAccessLog(db().prisma, { residentId: adult.id, limit: 50 });
    const release = log.items.find((i) => i.type === "oidc.claims_released");
    expect(release?.actor).toMatchObject({ type: "system", label: "一枚町立図書館", labelEn: "Ichimai Town Library" });
    expect(release?.purpose).toContain("氏名");
  });

  it("one login, both RPs: the school needs no second login, gets age_over_18 and never the birth date; subjects differ", async () => {
    const b = browserFor(adult.id);
    const lib = await signOn(b, library, { scope: "openid name", consent: ["name"] });
    // Same browser: the provider session from the first sign-on (the portal login) carries the second; only consent is asked.
    const sch = await signOn(b, school, { scope: "openid age_over_18", consent: ["age_over_18"] });
    expect(sch.prompts).toEqual(["consent"]);
    const c = sch.tokens.claims()!;
    expect(c.age_over_18).toBe(true);
    expect(c.birthdate).toBeUndefined();
    expect(c.name).toBeUndefined();
    expect(c.sub).not.toBe(lib.tokens.claims()!.sub);
    // Pairwise subjects are stable per client.
    const again = await signOn(browserFor(adult.id), school, { scope: "openid age_over_18" });
    expect(again.prompts).toEqual([]); // standing consent from the ledger
    expect(again.tokens.claims()!.sub).toBe(c.sub);
    const teenClaims = (
      await signOn(browserFor(teen.id), school, { scope: "openid age_over_18", consent: ["age_over_18"] })
    ).tokens.claims()!;
    expect(teenClaims.age_over_18).toBe(false);
  });

  it("consent limits claims: address declined is not released, and is asked again next time", async () => {
    const resident = await seedResident(db().prisma);
    const { tokens } = await signOn(browserFor(resident.id), library, {
      scope: "openid name address",
      consent: ["name"],
    });
    const claims = tokens.claims()!;
    expect(claims.name).toBeDefined();
    expect(claims.address).toBeUndefined();
    const info = await oc.fetchUserInfo(library.config, tokens.access_token, claims.sub);
    expect(info.address).toBeUndefined();
    const ledger = await listOidcConsents(db().prisma, resident.id);
    expect(ledger).toEqual([
      expect.objectContaining({ client: expect.objectContaining({ id: "test-library" }), claims: ["name"] }),
    ]);
    const second = await signOn(browserFor(resident.id), library, {
      scope: "openid name address",
      consent: ["address"],
    });
    expect(second.prompts).toEqual(["consent"]);
    expect(second.tokens.claims()!.address).toMatchObject({ country: "JP" });
  });

  it("a consent for a claim the RP did not ask for is refused", async () => {
    const resident = await seedResident(db().prisma);
    const b = browserFor(resident.id);
    const { res } = await authorize(b, library, { scope: "openid name" });
    expect(res.status).toBe(200);
    const refused = await b.request(`${res.url}/consent`, {
      method: "POST",
      body: JSON.stringify({ approved: ["name", "address"] }),
      type: "application/json",
    });
    expect(JSON.parse(refused.body)).toEqual({ error: "OIDC_CLAIM_NOT_REQUESTED" });
  });

  it("withdrawing consent in the ledger revokes the tokens and asks again", async () => {
    const resident = await seedResident(db().prisma);
    const { tokens } = await signOn(browserFor(resident.id), library, { scope: "openid name", consent: ["name"] });
    await withdrawOidcConsent(db().prisma, { residentId: resident.id, clientId: "test-library", channel: "pc" });
    await expect(oc.fetchUserInfo(library.config, tokens.access_token, tokens.claims()!.sub)).rejects.toThrow();
    expect(await listOidcConsents(db().prisma, resident.id)).toEqual([]);
    const again = await signOn(browserFor(resident.id), library, { scope: "openid name", consent: [] });
    expect(again.prompts).toEqual(["consent"]);
    expect(again.tokens.claims()!.name).toBeUndefined();
  });

  it("no portal login: the interaction asks for a login; acr card refuses a passkey session; max_age refuses an old login", async () => {
    const resident = await seedResident(db().prisma);
    const none = await authorize(new TestBrowser(), library, { scope: "openid" });
    expect(none.res.status).toBe(401);
    const passkey = await authorize(browserFor(resident.id, "passkey"), library, { scope: "openid", acr: ACR_CARD });
    expect(passkey.res.status).toBe(401);
    const old = await authorize(browserFor(resident.id, "card", Date.now() - 3600_000), library, {
      scope: "openid",
      maxAge: 60,
    });
    expect(old.res.status).toBe(401);
    // A passkey session is fine when the RP does not demand a card; acr says which it was.
    const ok = await signOn(browserFor(resident.id, "passkey"), library, { scope: "openid" });
    expect(ok.tokens.claims()!.acr).toBe(ACR_PASSKEY);
    // The same browser, now with a card login, is asked again (fresh login) when acr card is demanded.
    const b = browserFor(resident.id, "passkey");
    await signOn(b, library, { scope: "openid" });
    const demand = await authorize(b, library, { scope: "openid", acr: ACR_CARD });
    expect(demand.res.status).toBe(401);
    b.setCookie(PORTAL_COOKIE, portalCookieValue({ residentId: resident.id, assurance: "card", authTime: Date.now() }));
    const card = await signOn(b, library, { scope: "openid", acr: ACR_CARD });
    expect(card.tokens.claims()!.acr).toBe(ACR_CARD);
  });

  it("bad input: wrong redirect URI and unknown client end on the error page, never at the given URI", async () => {
    const b = browserFor(adult.id);
    const wrong = await b.request(
      oc.buildAuthorizationUrl(library.config, {
        redirect_uri: "https://evil.example/cb",
        scope: "openid",
        code_challenge: await oc.calculatePKCECodeChallenge(oc.randomPKCECodeVerifier()),
        code_challenge_method: "S256",
      }).href,
    );
    expect(wrong.location).toContain("/sso/error?error=invalid_redirect_uri");
    const unknown = new URL(`${world.issuer}/auth`);
    unknown.search = new URLSearchParams({
      client_id: "nobody",
      redirect_uri: library.redirectUri,
      response_type: "code",
      scope: "openid",
    }).toString();
    const res = await b.request(unknown.href);
    expect(res.location).toContain("/sso/error?error=invalid_client");
  });

  it("bad input: no PKCE, a claim outside the client's scopes → an error back to the RP", async () => {
    const b = browserFor(adult.id);
    const noPkce = new URL(`${world.issuer}/auth`);
    noPkce.search = new URLSearchParams({
      client_id: school.clientId,
      redirect_uri: school.redirectUri,
      response_type: "code",
      scope: "openid",
      state: "s1",
    }).toString();
    const r1 = await b.request(noPkce.href);
    expect(new URL(r1.location!).searchParams.get("error")).toBe("invalid_request");
    const { res, verifier, state } = await authorize(b, school, { scope: "openid birthdate" });
    expect(new URL(res.location!).searchParams.get("error")).toBe("invalid_scope");
    await expect(
      oc.authorizationCodeGrant(school.config, new URL(res.location!), {
        pkceCodeVerifier: verifier,
        expectedState: state,
      }),
    ).rejects.toMatchObject({ error: "invalid_scope" });
  });

  it("bad input: wrong state, missing state, nonce mismatch, wrong PKCE verifier are refused", async () => {
    const b = browserFor(adult.id);
    await signOn(b, library, { scope: "openid name", consent: ["name"] });
    const run = async () => {
      const a = await authorize(b, library, { scope: "openid name" });
      expect(a.res.location?.startsWith(library.redirectUri)).toBe(true);
      return { ...a, url: new URL(a.res.location!) };
    };
    const s1 = await run();
    await expect(
      oc.authorizationCodeGrant(library.config, s1.url, { pkceCodeVerifier: s1.verifier, expectedState: "other" }),
    ).rejects.toSatisfy(causeMentions("state"));
    const s2 = await run();
    const noState = new URL(s2.url);
    noState.searchParams.delete("state");
    await expect(
      oc.authorizationCodeGrant(library.config, noState, { pkceCodeVerifier: s2.verifier, expectedState: s2.state }),
    ).rejects.toSatisfy(causeMentions("state"));
    const s3 = await run();
    await expect(
      oc.authorizationCodeGrant(library.config, s3.url, {
        pkceCodeVerifier: s3.verifier,
        expectedState: s3.state,
        expectedNonce: "another-nonce",
      }),
    ).rejects.toSatisfy(causeMentions("nonce"));
    const s4 = await run();
    await expect(
      oc.authorizationCodeGrant(library.config, s4.url, {
        pkceCodeVerifier: oc.randomPKCECodeVerifier(),
        expectedState: s4.state,
      }),
    ).rejects.toMatchObject({ error: "invalid_grant" });
  });

  it("key rotation: new tokens use the new key, a token signed before still verifies against the JWKS", async () => {
    const b = browserFor(adult.id);
    const before = (await signOn(b, library, { scope: "openid name", consent: ["name"] })).tokens.id_token!;
    await rotateSigningKey(db().prisma, { seal: world.seal });
    const after = (await signOn(b, library, { scope: "openid name" })).tokens.id_token!;
    const kidOf = (t: string) => b64urlJson(t.split(".")[0]!).kid;
    expect(kidOf(after)).not.toBe(kidOf(before));
    expect(await verifiesAgainstJwks(world, before)).toBe(true);
    expect(await verifiesAgainstJwks(world, after)).toBe(true);
    const jwks = (await (await fetch(`${world.issuer}/jwks`)).json()) as { keys: { kid: string; d?: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toEqual([kidOf(after), kidOf(before)]);
    expect(jwks.keys.every((k) => k.d === undefined)).toBe(true);
  });

  it("RP-initiated logout: confirm, back to the registered URI, the portal session ends and the next sign-on needs a login", async () => {
    const resident = await seedResident(db().prisma);
    const b = browserFor(resident.id);
    const { tokens } = await signOn(b, library, { scope: "openid name", consent: ["name"] });
    const end = oc.buildEndSessionUrl(library.config, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: library.postLogoutUri,
      state: "bye1",
    });
    const confirm = await b.request(end.href);
    expect(confirm.status).toBe(200);
    const action = confirm.body.match(/action="([^"]+)"/)?.[1];
    const xsrf = confirm.body.match(/name="xsrf" value="([^"]+)"/)?.[1];
    expect(action && xsrf).toBeTruthy();
    const done = await b.request(new URL(action!, end).href, {
      method: "POST",
      body: new URLSearchParams({ xsrf: xsrf!, logout: "yes" }).toString(),
      type: "application/x-www-form-urlencoded",
    });
    expect(done.location?.startsWith(library.postLogoutUri)).toBe(true);
    expect(new URL(done.location!).searchParams.get("state")).toBe("bye1");
    expect(b.jar.has(PORTAL_COOKIE)).toBe(false);
    const next = await authorize(b, library, { scope: "openid name" });
    expect(next.res.status).toBe(401);
  });

  it("a disabled client is unknown to the provider", async () => {
    await db().prisma.oidcClient.update({ where: { id: "test-school" }, data: { disabledAt: new Date() } });
    try {
      const res = await new TestBrowser().request(
        oc.buildAuthorizationUrl(school.config, {
          redirect_uri: school.redirectUri,
          scope: "openid",
          code_challenge: await oc.calculatePKCECodeChallenge(oc.randomPKCECodeVerifier()),
          code_challenge_method: "S256",
        }).href,
      );
      expect(res.location).toContain("error=invalid_client");
    } finally {
      await db().prisma.oidcClient.update({ where: { id: "test-school" }, data: { disabledAt: null } });
    }
  });
});

describe("token endpoint rate limit", () => {
  const db = useTestDatabase();
  it("refuses token requests beyond the limit with 429", async () => {
    const world = await startOidcWorld(db().prisma, { tokenRateLimit: { limit: 2, windowMs: 60_000 } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`${world.issuer}/token`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: "grant_type=authorization_code&code=x",
        });
        statuses.push(res.status);
      }
      expect(statuses[2]).toBe(429);
      expect(statuses.slice(0, 2).every((s) => s !== 429)).toBe(true);
    } finally {
      await world.close();
    }
  });
});
