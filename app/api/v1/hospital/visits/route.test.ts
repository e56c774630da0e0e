import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "@/test/db";
import { startPlatformWorld, type TPlatformWorld } from "@/test/platform/platform-world";
import { buildOpenApiSpec } from "../../_lib/openapi";
import { serveV1ForTest } from "../../../../../test/api/serve-v1-for-test";

describe("hospital visits over real HTTP (GET /api/v1/hospital/visits, POST …/{id}/record)", () => {
  const db = useTestDatabase();
  let world: TPlatformWorld;
  let origin: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    world = await startPlatformWorld();
    ({ origin, close } = await serveV1ForTest({ prisma: db().prisma, context: world.context(db().prisma) }));
  });
  afterAll(async () => {
    await Promise.all([close?.(), world?.close()]);
  });

  const call = async (auth: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${origin}${path}`, {
      method,
      headers: { authorization: auth, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> & { error?: { code: string } } };
  };

  it("[HOSPITAL][VISIT-HTTP]: the hospital lists its received visits, records one (201, copay from the ratio), a retry answers 200, another record 409; others see nothing", async () => {
    const { prisma } = db();
    const hospital = await world.partner(prisma, { kind: "HOSPITAL", scopes: ["hospital:visits"] });
    const other = await world.partner(prisma, { kind: "HOSPITAL", scopes: ["hospital:visits"] });
    const { resident } = await world.resident(prisma);
    const visit = await prisma.hospitalVisit.create({
      data: {
        hospitalId: hospital.partnerId,
        residentId: resident.id,
        patientRef: "P-9",
        terminalLabel: "受付1",
        receivedAt: new Date(),
        insuranceStatus: "eligible",
        copayTenths: 2,
      },
    });
    const listed = await call(hospital.authorization, "GET", "/api/v1/hospital/visits?status=received");
    expect(listed.status).toBe(200);
    expect(listed.json.data).toEqual([
      expect.objectContaining({
        id: visit.id,
        patientReference: "P-9",
        status: "received",
        insurance: { status: "eligible", copayRatio: 2 },
      }),
    ]);
    expect((await call(other.authorization, "GET", "/api/v1/hospital/visits")).json.data).toEqual([]);
    expect((await call(hospital.authorization, "GET", "/api/v1/hospital/visits?status=paid")).status).toBe(422);

    const path = `/api/v1/hospital/visits/${visit.id}/record`;
    const record = { department: "小児科", points: 250, uninsuredYen: 330 };
    const first = await call(hospital.authorization, "POST", path, record);
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({
      status: "recorded",
      insuredYen: 2500,
      copayYen: 500,
      uninsuredYen: 330,
      totalYen: 830,
    });
    expect((await call(hospital.authorization, "POST", path, record)).status).toBe(200);
    const conflict = await call(hospital.authorization, "POST", path, { ...record, points: 251 });
    expect([conflict.status, conflict.json.error?.code]).toEqual([409, "VISIT_ALREADY_RECORDED"]);
    const absurd = await call(hospital.authorization, "POST", path, { ...record, points: -5 });
    expect([absurd.status, absurd.json.error?.code]).toEqual([422, "VALIDATION_FAILED"]);
    expect((await call(other.authorization, "POST", path, record)).json.error?.code).toBe("NOT_FOUND");
    expect((await call(hospital.authorization, "POST", "/api/v1/hospital/visits/nope/record", record)).status).toBe(
      422,
    );
    expect((await call(hospital.authorization, "GET", "/api/v1/hospital/visits?status=recorded")).json.data).toEqual([
      expect.objectContaining({ id: visit.id, totalYen: 830 }),
    ]);

    const spec = buildOpenApiSpec() as { paths: Record<string, Record<string, { "x-error-codes": string[] }>> };
    expect(spec.paths["/api/v1/hospital/visits/{id}/record"]!.post!["x-error-codes"]).toContain(
      "VISIT_ALREADY_RECORDED",
    );
    expect(spec.paths["/api/v1/hospital/visits"]!.get).toBeDefined();
  });
});
