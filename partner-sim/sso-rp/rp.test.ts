import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedResident } from "@/prisma/seed/factories";
import { demoOidcClientSecrets, seedDemoOidcClients } from "@/prisma/seed/demo-oidc";
import { useTestDatabase } from "../../test/db";
import {
  PORTAL_COOKIE,
  portalCookieValue,
  startOidcWorld,
  TestBrowser,
  type TOidcWorld,
} from "../../test/oidc/oidc-world";
import { DEMO_RPS } from "./demo-rps";
import { startDemoRp, type TDemoRp } from "./rp";

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

describe("the demo relying parties (partner-sim/sso-rp) against the provider", () => {
  const db = useTestDatabase();
  let world: TOidcWorld;
  let library: TDemoRp;
  let school: TDemoRp;

  beforeAll(async () => {
    world = await startOidcWorld(db().prisma);
    const ports = { library: await freePort(), school: await freePort() };
    await seedDemoOidcClients(db().prisma, ports);
    await seedDemoOidcClients(db().prisma, ports); // idempotent
    const secrets = await demoOidcClientSecrets(db().prisma);
    library = await startDemoRp({
      ...DEMO_RPS.library,
      issuer: world.issuer,
      clientSecret: secrets.library,
      port: ports.library,
    });
    school = await startDemoRp({
      ...DEMO_RPS.school,
      issuer: world.issuer,
      clientSecret: secrets.school,
      port: ports.school,
    });
  });
  afterAll(async () => {
    await library?.close();
    await school?.close();
    await world?.close();
  });

  /** Browser: RP /login → provider → consent (ticks `consent`) → RP callback → RP page. */
  async function logIn(b: TestBrowser, rp: TDemoRp, consent: string[]): Promise<string> {
    let res = await b.follow(`${rp.url}/login`, [`${rp.url}/callback`]);
    if (res.status === 200 && res.url.includes("/sso/interaction/")) {
      res = await b.follow(`${res.url}/consent`, [`${rp.url}/callback`], {
        method: "POST",
        body: JSON.stringify({ approved: consent }),
        type: "application/json",
      });
    }
    expect(res.location?.startsWith(`${rp.url}/callback`), res.body).toBe(true);
    const page = await b.follow(res.location!, []);
    return page.body;
  }

  it("one login, two RPs: the library shows the name, the school only age_over_18; subjects differ; logout", async () => {
    const resident = await seedResident(db().prisma, { dateOfBirth: new Date(Date.UTC(1985, 0, 2)) });
    const b = new TestBrowser();
    b.setCookie(PORTAL_COOKIE, portalCookieValue({ residentId: resident.id, assurance: "card", authTime: Date.now() }));
    const lib = await logIn(b, library, ["name"]);
    expect(lib).toContain(`data-claim="name">${resident.familyName} ${resident.givenName}`);
    expect(lib).toContain("urn:ichimai:acr:card");
    const sch = await logIn(b, school, ["age_over_18"]);
    expect(sch).toContain('data-claim="age_over_18">true');
    expect(sch).not.toContain("birthdate");
    expect(sch).not.toContain('data-claim="name"');
    const sub = (html: string) => html.match(/data-testid="rp-sub">([^<]+)</)?.[1];
    expect(sub(lib)).toBeTruthy();
    expect(sub(sch)).toBeTruthy();
    expect(sub(lib)).not.toBe(sub(sch));
    // Logout: the RP sends the browser to the provider's end-session endpoint with its ID token.
    const out = await b.request(`${library.url}/logout`);
    expect(out.location).toContain(`${world.issuer}/session/end`);
    expect(new URL(out.location!).searchParams.get("id_token_hint")).toBeTruthy();
  });

  it("a callback without a login in progress (no state) is an error page, not a login", async () => {
    const res = await new TestBrowser().request(`${library.url}/callback?code=x&state=y`);
    expect(res.status).toBe(400);
    expect(res.body).toContain('data-testid="rp-error"');
  });
});
