import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "@/test/db";
import { startPlatformWorld, type TPlatformWorld } from "@/test/platform/platform-world";
import { buildOpenApiSpec } from "../../../_lib/openapi";
import { serveV1ForTest } from "../../../../../../test/api/serve-v1-for-test";

const ENTRY = {
  status: "valid",
  insurerNumber: "06360012",
  symbol: "1234",
  number: "567",
  validFrom: "2026-04-01",
  validUntil: "2027-03-31",
  copayRatio: 3,
};

describe("PUT /api/v1/insurance/members/{memberNumber} over real HTTP", () => {
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

  const put = async (
    auth: string | undefined,
    memberNumber: string,
    body: unknown,
    contentType = "application/json",
  ) => {
    const res = await fetch(`${origin}/api/v1/insurance/members/${memberNumber}`, {
      method: "PUT",
      headers: { ...(auth ? { authorization: auth } : {}), "content-type": contentType },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> & { error?: { code: string } } };
  };

  it("[HOSPITAL][ROSTER-HTTP]: 201 then 200 with a fresh confirmedAt; the scope, the partner kind and the body are checked; the OpenAPI document lists it", async () => {
    const { prisma } = db();
    const insurer = await world.partner(prisma, { kind: "HEALTH_INSURER", scopes: ["insurance:roster"] });
    const created = await put(insurer.authorization, "NHI-1", ENTRY);
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      object: "insurance_member",
      memberNumber: "NHI-1",
      mode: "LIVE",
      status: "valid",
      copayRatio: 3,
      validUntil: "2027-03-31",
    });
    const again = await put(insurer.authorization, "NHI-1", { ...ENTRY, status: "lapsed" });
    expect(again.status).toBe(200);
    expect(again.json.status).toBe("lapsed");
    expect(Date.parse(again.json.confirmedAt as string)).toBeGreaterThanOrEqual(
      Date.parse(created.json.confirmedAt as string),
    );
    expect(await prisma.insuranceMember.count({ where: { insurerId: insurer.partnerId } })).toBe(1);

    expect((await put(undefined, "NHI-1", ENTRY)).json.error?.code).toBe("UNAUTHENTICATED");
    const bad = await put(insurer.authorization, "NHI-2", { ...ENTRY, copayRatio: 5 });
    expect([bad.status, bad.json.error?.code]).toEqual([422, "VALIDATION_FAILED"]);
    const nul = await put(insurer.authorization, "NHI-2", { ...ENTRY, symbol: "a\u0000" });
    expect([nul.status, nul.json.error?.code]).toEqual([422, "TEXT_CHARACTER_FORBIDDEN"]);
    expect((await put(insurer.authorization, "NHI-2", "{", "application/json")).json.error?.code).toBe("BAD_JSON");
    expect((await put(insurer.authorization, "NHI-2", "x", "text/plain")).json.error?.code).toBe(
      "UNSUPPORTED_MEDIA_TYPE",
    );
    // Another scope, or a partner that is not a health insurer: refused, nothing written.
    const other = await world.partner(prisma, { kind: "HEALTH_INSURER", scopes: ["eligibility:verify"] });
    expect((await put(other.authorization, "NHI-2", ENTRY)).status).toBe(403);
    const bank = await world.partner(prisma, { kind: "BANK", scopes: ["insurance:roster"] });
    expect((await put(bank.authorization, "NHI-2", ENTRY)).json.error?.code).toBe("FORBIDDEN");
    expect(await prisma.insuranceMember.count({ where: { memberNumber: "NHI-2" } })).toBe(0);

    const spec = buildOpenApiSpec() as {
      paths: Record<string, Record<string, { "x-required-scope"?: string; "x-error-codes": string[] }>>;
    };
    const op = spec.paths["/api/v1/insurance/members/{memberNumber}"]!.put!;
    expect(op["x-required-scope"]).toBe("insurance:roster");
    expect(op["x-error-codes"]).toContain("TEXT_CHARACTER_FORBIDDEN");
  });
});
