import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { completePaymentLink, startPaymentLink } from "@/lib/services/payment/payment-methods";
import { httpPaymentProcessor } from "@/lib/services/payment/http-payment-processor";
import type { TPaymentProcessor } from "@/lib/services/payment/payment-processor";
import { useTestDatabase } from "@/test/db";
import { startPlatformWorld, type TPlatformWorld } from "@/test/platform/platform-world";
import { handlePaymentSim } from "../../../../../../../partner-sim/payment/http";
import { seedPartner } from "../../../../../../../prisma/seed/factories";
import { serveForTest } from "../../../../../../../test/api/serve-for-test";
import { serveV1ForTest } from "../../../../../../../test/api/serve-v1-for-test";
import { buildOpenApiSpec } from "../../../../_lib/openapi";

const KEY = "sk_test_charge_route_test_key";

describe("POST /api/v1/hospital/visits/{id}/charge over real HTTP, the simulated processor behind it", () => {
  const db = useTestDatabase();
  let world: TPlatformWorld;
  let origin: string;
  let simOrigin: string;
  let processor: TPaymentProcessor;
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    world = await startPlatformWorld();
    const sim = await serveForTest(
      ["GET", "POST"].map((method) => ({
        method,
        pattern: /^\/partner-sim\/payment\//,
        handler: (request: Request) => handlePaymentSim(request, { prisma: db().prisma, apiKey: KEY }),
      })),
    );
    closers.push(sim.close);
    simOrigin = sim.origin;
    processor = httpPaymentProcessor({ baseUrl: `${sim.origin}/partner-sim/payment`, apiKey: KEY });
    const v1 = await serveV1ForTest({
      prisma: db().prisma,
      context: world.context(db().prisma),
      paymentProcessor: processor,
    });
    closers.push(v1.close);
    origin = v1.origin;
  });
  afterAll(async () => {
    await Promise.all([...closers.map((c) => c()), world?.close()]);
  });

  const call = async (auth: string, path: string) => {
    const res = await fetch(`${origin}${path}`, { method: "POST", headers: { authorization: auth } });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> & { error?: { code: string } } };
  };

  it("[HOSPITAL][CHARGE-HTTP]: 409 before recording and without a method, 402 on the declining card, 201 then 200 once paid; documented in OpenAPI", async () => {
    const { prisma } = db();
    const hospital = await world.partner(prisma, { kind: "HOSPITAL", scopes: ["hospital:visits"] });
    const other = await world.partner(prisma, { kind: "HOSPITAL", scopes: ["hospital:visits"] });
    const { resident } = await world.resident(prisma);
    const processorPartner = await seedPartner(prisma, { kind: "PAYMENT_PROCESSOR" });
    const visit = await prisma.hospitalVisit.create({
      data: {
        hospitalId: hospital.partnerId,
        residentId: resident.id,
        patientRef: "P-9",
        terminalLabel: "受付1",
        receivedAt: new Date(),
        insuranceStatus: "eligible",
        copayTenths: 3,
      },
    });
    const path = `/api/v1/hospital/visits/${visit.id}/charge`;
    const early = await call(hospital.authorization, path);
    expect([early.status, early.json.error?.code]).toEqual([409, "VISIT_NOT_RECORDED"]);
    const recorded = await fetch(`${origin}/api/v1/hospital/visits/${visit.id}/record`, {
      method: "POST",
      headers: { authorization: hospital.authorization, "content-type": "application/json" },
      body: JSON.stringify({ department: "内科", points: 412, uninsuredYen: 100 }),
    });
    expect(recorded.status).toBe(201);
    const missing = await call(hospital.authorization, path);
    expect([missing.status, missing.json.error?.code]).toEqual([409, "PAYMENT_METHOD_MISSING"]);

    const link = async (number: string) => {
      const { redirectTo } = await startPaymentLink(prisma, {
        residentId: resident.id,
        processorSlug: processorPartner.slug,
        processor,
      });
      const page = new URL(redirectTo);
      const res = await fetch(`${simOrigin}/partner-sim/payment/register`, {
        method: "POST",
        body: new URLSearchParams({
          return_to: page.searchParams.get("return_to") ?? "",
          state: page.searchParams.get("state") ?? "",
          number,
          expiry: "12/30",
          cvc: "123",
        }),
        redirect: "manual",
      });
      const back = new URL(res.headers.get("location") ?? "", "http://portal.test").searchParams;
      await completePaymentLink(prisma, {
        residentId: resident.id,
        ref: back.get("ref") ?? "",
        state: back.get("state") ?? "",
        processor,
      });
    };
    await link("4000000000000002");
    const declined = await call(hospital.authorization, path);
    expect([declined.status, declined.json.error?.code]).toEqual([402, "PAYMENT_DECLINED"]);
    await link("4242424242424242");
    const paid = await call(hospital.authorization, path);
    expect(paid.status).toBe(201);
    expect(paid.json).toMatchObject({
      object: "hospital_visit_payment",
      visitId: visit.id,
      status: "paid",
      amountYen: 1340,
      paymentMethod: { brand: "visa", last4: "4242" },
    });
    const again = await call(hospital.authorization, path);
    expect([again.status, again.json.chargeId]).toEqual([200, paid.json.chargeId]);
    expect((await call(other.authorization, path)).json.error?.code).toBe("NOT_FOUND");
    const listed = await fetch(`${origin}/api/v1/hospital/visits?status=recorded`, {
      headers: { authorization: hospital.authorization },
    });
    expect(((await listed.json()) as { data: unknown[] }).data).toEqual([
      expect.objectContaining({ id: visit.id, paidAt: paid.json.paidAt }),
    ]);
    expect((await call(hospital.authorization, "/api/v1/hospital/visits/nope/charge")).status).toBe(422);

    const spec = buildOpenApiSpec() as { paths: Record<string, Record<string, { "x-error-codes": string[] }>> };
    expect(spec.paths["/api/v1/hospital/visits/{id}/charge"]!.post!["x-error-codes"]).toEqual(
      expect.arrayContaining([
        "PAYMENT_DECLINED",
        "PAYMENT_METHOD_MISSING",
        "PAYMENT_UNAVAILABLE",
        "VISIT_NOT_RECORDED",
      ]),
    );
  });
});
