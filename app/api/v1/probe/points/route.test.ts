import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROBE_BATCH_LIMIT, PROBE_BATCH_MAX_POINTS } from "@/lib/reports/probe";
import { useTestDatabase } from "@/test/db";
import { basicAuth, seedCred, type TCred } from "@/test/mailbox/mailbox-world";
import { createReportsWorld, ON_ROAD } from "@/test/reports/reports-world";
import { seedPartner } from "@/prisma/seed/factories";
import { buildOpenApiSpec } from "../../_lib/openapi";
import { serveV1ForTest } from "../../../../../test/api/serve-v1-for-test";

describe("POST /api/v1/probe/points over real HTTP", () => {
  const db = useTestDatabase();
  let origin: string;
  let close: () => Promise<void>;
  let live: TCred;
  let test: TCred;
  let noScope: TCred;

  beforeAll(async () => {
    const prisma = db().prisma;
    await createReportsWorld(prisma, "probe-api");
    const bus = await seedPartner(prisma, {
      slug: "probe-bus",
      name: "バス",
      kind: "BUS_OPERATOR",
      approvedScopes: ["probe:write", "documents:deliver"],
    });
    live = await seedCred(prisma, bus.id, { scopes: ["probe:write"] });
    test = await seedCred(prisma, bus.id, { scopes: ["probe:write"], mode: "TEST" });
    noScope = await seedCred(prisma, bus.id, { scopes: ["documents:deliver"] });
    ({ origin, close } = await serveV1ForTest({ prisma }));
  });
  afterAll(async () => {
    await close?.();
  });

  const post = (cred: TCred, body: unknown) =>
    fetch(`${origin}/api/v1/probe/points`, {
      method: "POST",
      headers: { authorization: basicAuth(cred), "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const point = (over: Record<string, unknown> = {}) => ({
    recordedAt: new Date().toISOString(),
    ...ON_ROAD,
    speedKmh: 12.5,
    ...over,
  });
  const code = async (res: Response) => [res.status, ((await res.json()) as { error: { code: string } }).error.code];

  it("accepts a batch (202, matched to the road), refuses bad points, oversized batches and a missing scope with stable codes", async () => {
    const ok = await post(live, { vehicleRef: "1号車", points: [point(), point({ latitude: 33.915 })] });
    expect(ok.status).toBe(202);
    expect(await ok.json()).toEqual({ object: "probe_receipt", accepted: 2, matched: 1, stored: true });
    expect(await db().prisma.probePoint.count()).toBe(2);

    expect(await (await post(test, { vehicleRef: "1号車", points: [point()] })).json()).toMatchObject({
      stored: false,
    });
    expect(await code(await post(live, { vehicleRef: "1号車", points: [point({ speedKmh: "fast" })] }))).toEqual([
      422,
      "VALIDATION_FAILED",
    ]);
    expect(await code(await post(live, { vehicleRef: "1号車", points: [point({ latitude: 95 })] }))).toEqual([
      422,
      "VALIDATION_FAILED",
    ]);
    expect(
      await code(await post(live, { vehicleRef: "1号車", points: [point({ recordedAt: "2001-01-01T00:00:00Z" })] })),
    ).toEqual([422, "PROBE_POINT_TIME_INVALID"]);
    expect(await code(await post(live, { vehicleRef: "\u0000", points: [point()] }))).toEqual([
      422,
      "TEXT_CHARACTER_FORBIDDEN",
    ]);
    const many = Array.from({ length: PROBE_BATCH_MAX_POINTS + 1 }, () => point());
    expect(await code(await post(live, { vehicleRef: "1号車", points: many }))).toEqual([413, "PROBE_BATCH_TOO_LARGE"]);
    expect((await post(noScope, { vehicleRef: "1号車", points: [point()] })).status).toBe(403);
  });

  it("a flood from one vehicle is refused with 429 RATE_LIMITED and Retry-After", async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < PROBE_BATCH_LIMIT.limit + 1; i++) {
      last = await post(live, { vehicleRef: "2号車", points: [point()] });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, -1).every((s) => s === 202)).toBe(true);
    expect(await code(last!)).toEqual([429, "RATE_LIMITED"]);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another vehicle of the same operator is not held back.
    expect((await post(live, { vehicleRef: "3号車", points: [point()] })).status).toBe(202);
  });

  it("is in the OpenAPI document with its scope and errors", () => {
    const spec = buildOpenApiSpec() as {
      paths: Record<
        string,
        Record<string, { operationId: string; "x-required-scope": string; "x-error-codes": string[] }>
      >;
    };
    const op = spec.paths["/api/v1/probe/points"]?.post;
    expect(op?.operationId).toBe("postProbePoints");
    expect(op?.["x-required-scope"]).toBe("probe:write");
    expect(op?.["x-error-codes"]).toContain("PROBE_BATCH_TOO_LARGE");
  });
});
