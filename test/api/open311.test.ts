import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { triageReport } from "@/lib/reports/triage";
import { serveForTest } from "@/test/api/serve-for-test";
import { useTestDatabase } from "@/test/db";
import { seedCred, type TCred } from "@/test/mailbox/mailbox-world";
import { createReportsWorld, IN_TOWN, OUTSIDE } from "@/test/reports/reports-world";
import { seedPartner } from "@/prisma/seed/factories";
import { createOpen311Handlers } from "../../app/open311/v2/_lib/handlers";

/** An Open311 client's view: plain fetch against the route handlers on a real HTTP server. */
describe("Open311 GeoReport v2 over real HTTP", () => {
  const db = useTestDatabase();
  let origin: string;
  let close: () => Promise<void>;
  let w: Awaited<ReturnType<typeof createReportsWorld>>;
  let key: TCred;
  let testKey: TCred;

  beforeAll(async () => {
    const prisma = db().prisma;
    w = await createReportsWorld(prisma, "o311");
    const app = await seedPartner(prisma, {
      slug: "o311-app",
      name: "まちアプリ",
      kind: "GOVERNMENT",
      approvedScopes: ["reports:write"],
    });
    key = await seedCred(prisma, app.id, { scopes: ["reports:write"] });
    testKey = await seedCred(prisma, app.id, { scopes: ["reports:write"], mode: "TEST" });
    // The discovery document names the portal's origin; the server's port is known only later.
    let served = "";
    const h = createOpen311Handlers({
      getPrisma: async () => prisma,
      get origin() {
        return served;
      },
    });
    const bind =
      <P>(handler: (r: Request, route: { params: Promise<P> }) => Promise<Response>) =>
      (r: Request, params: Record<string, string>) =>
        handler(r, { params: Promise.resolve(params as P) });
    ({ origin, close } = await serveForTest([
      { method: "GET", pattern: /^\/open311\/v2\/discovery\.json$/, handler: bind(h.discovery) },
      { method: "GET", pattern: /^\/open311\/v2\/services\.json$/, handler: bind(h.services) },
      { method: "GET", pattern: /^\/open311\/v2\/services\/(?<code>[^/]+)$/, handler: bind(h.serviceDefinition) },
      { method: "GET", pattern: /^\/open311\/v2\/requests\.json$/, handler: bind(h.listRequests) },
      { method: "POST", pattern: /^\/open311\/v2\/requests\.json$/, handler: bind(h.createRequest) },
      { method: "GET", pattern: /^\/open311\/v2\/requests\/(?<id>[^/]+)$/, handler: bind(h.getRequest) },
    ]));
    served = origin;
  });
  afterAll(async () => {
    await close?.();
  });

  const form = (fields: Record<string, string>, ip = "203.0.113.1") =>
    fetch(`${origin}/open311/v2/requests.json`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": ip },
      body: new URLSearchParams(fields),
    });
  const fields = (over: Record<string, string> = {}) => ({
    service_code: "road_damage",
    lat: String(IN_TOWN.latitude),
    long: String(IN_TOWN.longitude),
    description: "ガードレールが曲がっています",
    ...over,
  });

  it("discovery and services: the specification's fields", async () => {
    const discovery = await (await fetch(`${origin}/open311/v2/discovery.json`)).json();
    expect(discovery.endpoints[0]).toMatchObject({ url: `${origin}/open311/v2`, formats: ["application/json"] });
    const services = (await (await fetch(`${origin}/open311/v2/services.json`)).json()) as { service_code: string }[];
    expect(services.map((s) => s.service_code)).toEqual([
      "road_damage",
      "disaster_damage",
      "congestion",
      "accessibility",
      "tourism",
    ]);
    expect(services[0]).toMatchObject({ metadata: false, type: "realtime" });
    expect(await (await fetch(`${origin}/open311/v2/services/tourism.json`)).json()).toEqual({
      service_code: "tourism",
      attributes: [],
    });
    const unknown = await fetch(`${origin}/open311/v2/services/potholes.json`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual([
      { code: 404, description: expect.stringMatching(/^OPEN311_SERVICE_UNKNOWN: /) },
    ]);
    expect((await fetch(`${origin}/open311/v2/services/tourism.xml`)).status).toBe(404);
  });

  it("a client posts (anonymous and with an api_key), lists with filters and reads one; errors are [{code, description}]", async () => {
    const anon = await form(fields());
    expect(anon.status).toBe(201);
    const [created] = (await anon.json()) as { service_request_id: string }[];
    const keyed = await form(fields({ api_key: `${key.clientId}:${key.clientSecret}`, service_code: "tourism" }));
    expect(keyed.status).toBe(201);
    const [keyedReq] = (await keyed.json()) as { service_request_id: string }[];
    expect((await db().prisma.report.findUniqueOrThrow({ where: { id: keyedReq!.service_request_id } })).source).toBe(
      "OPEN311",
    );

    const one = (await (
      await fetch(`${origin}/open311/v2/requests/${created!.service_request_id}.json`)
    ).json()) as Record<string, unknown>[];
    expect(one[0]).toMatchObject({
      service_request_id: created!.service_request_id,
      status: "open",
      service_code: "road_damage",
      lat: IN_TOWN.latitude,
      long: IN_TOWN.longitude,
      media_url: "",
    });
    expect(Object.keys(one[0]!)).toEqual(
      expect.arrayContaining([
        "status_notes",
        "requested_datetime",
        "updated_datetime",
        "agency_responsible",
        "address",
      ]),
    );

    await triageReport(db().prisma, {
      staff: w.clerk,
      input: { reportId: created!.service_request_id, status: "CLOSED", publicNote: "修理しました" },
    });
    const list = async (q: string) =>
      (
        (await (await fetch(`${origin}/open311/v2/requests.json?${q}`)).json()) as {
          service_request_id: string;
          status: string;
        }[]
      ).map((r) => r.service_request_id);
    expect(await list("service_code=road_damage&status=closed")).toEqual([created!.service_request_id]);
    expect(await list("service_code=road_damage&status=open")).toEqual([]);
    expect((await list("status=open")).sort()).toEqual([keyedReq!.service_request_id]);
    expect(await list("end_date=2001-01-01T00:00:00Z")).toEqual([]);
    expect((await list(`start_date=${encodeURIComponent(new Date(Date.now() - 60_000).toISOString())}`)).length).toBe(
      2,
    );
    const closed = (await (await fetch(`${origin}/open311/v2/requests.json?status=closed`)).json()) as Record<
      string,
      unknown
    >[];
    expect(closed[0]).toMatchObject({ status: "closed", status_notes: "修理しました" });

    const errorOf = async (res: Response) => [
      res.status,
      ((await res.json()) as { code: number; description: string }[])[0],
    ];
    expect(await errorOf(await form(fields(OUTSIDE_FIELDS)))).toEqual([
      422,
      { code: 422, description: expect.stringMatching(/^REPORT_LOCATION_OUTSIDE: /) },
    ]);
    expect((await errorOf(await form(fields({ lat: "north" }))))[0]).toBe(422);
    expect((await errorOf(await form(fields({ service_code: "nope" }))))[0]).toBe(404);
    expect(await errorOf(await form(fields({ api_key: `${key.clientId}:wrong` })))).toEqual([
      401,
      { code: 401, description: expect.stringMatching(/^PARTNER_CREDENTIAL_INVALID: /) },
    ]);
    expect((await errorOf(await form(fields({ api_key: `${testKey.clientId}:${testKey.clientSecret}` }))))[0]).toBe(
      403,
    );
    expect((await errorOf(await fetch(`${origin}/open311/v2/requests/not-an-id.json`)))[0]).toBe(404);
    expect((await errorOf(await fetch(`${origin}/open311/v2/requests.json?status=maybe`)))[0]).toBe(422);
  });

  it("anonymous posting is rate-limited per address (429, Retry-After)", async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 6; i++) {
      last = await form(fields(), "203.0.113.99");
      statuses.push(last.status);
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
    expect(last!.headers.get("retry-after")).toBeTruthy();
  });
});

const OUTSIDE_FIELDS = { lat: String(OUTSIDE.latitude), long: String(OUTSIDE.longitude) };
