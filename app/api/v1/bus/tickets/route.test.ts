import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linkPartner } from "@/lib/mailbox/link-partner";
import { setBusEligibilityShare } from "@/lib/services/bus/share-eligibility";
import { useTestDatabase } from "@/test/db";
import { basicAuth, seedCred, type TCred } from "@/test/mailbox/mailbox-world";
import { createBusWorld } from "@/test/services/bus-world";
import { seedPartner, seedResident } from "@/prisma/seed/factories";
import { buildOpenApiSpec } from "../../_lib/openapi";
import { serveV1ForTest } from "../../../../../test/api/serve-v1-for-test";

describe("POST /api/v1/bus/tickets over real HTTP", () => {
  const db = useTestDatabase();
  let origin: string;
  let close: () => Promise<void>;
  let live: TCred;
  let test: TCred;
  let noScope: TCred;
  let bank: TCred;
  let w: Awaited<ReturnType<typeof createBusWorld>>;

  beforeAll(async () => {
    const prisma = db().prisma;
    w = await createBusWorld(prisma, "bus-api");
    live = await seedCred(prisma, w.operator.id, { scopes: ["eligibility:verify"] });
    test = await seedCred(prisma, w.operator.id, { scopes: ["eligibility:verify"], mode: "TEST" });
    noScope = await seedCred(prisma, w.operator.id, { scopes: ["documents:deliver"] });
    const other = await seedPartner(prisma, {
      slug: "bus-api-bank",
      name: "銀行",
      kind: "BANK",
      approvedScopes: ["eligibility:verify"],
    });
    bank = await seedCred(prisma, other.id, { scopes: ["eligibility:verify"] });
    ({ origin, close } = await serveV1ForTest({ prisma }));
  });
  afterAll(async () => {
    await close?.();
  });

  const post = (cred: TCred, body: unknown) =>
    fetch(`${origin}/api/v1/bus/tickets`, {
      method: "POST",
      headers: { authorization: basicAuth(cred), "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  it("issues a book to a linked member (201, the ticket), refuses an unknown reference, product, scope, partner kind and mode with stable codes", async () => {
    const prisma = db().prisma;
    const r = await w.linkedResident({ ref: "BUS-API-1" });
    const ok = await post(live, { partnerRef: "BUS-API-1", productCode: "BOOK-11" });
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({
      object: "bus_ticket",
      kind: "TICKET_BOOK",
      ridesRemaining: 11,
      priceYen: 2000,
    });
    expect(
      await prisma.busTicket.count({ where: { residentId: r.id, issuedBy: "operator", paidVia: "operator" } }),
    ).toBe(1);

    const code = async (res: Response) => [res.status, ((await res.json()) as { error: { code: string } }).error.code];
    expect(await code(await post(live, { partnerRef: "NOPE", productCode: "BOOK-11" }))).toEqual([
      403,
      "RECIPIENT_NOT_LINKED",
    ]);
    expect(await code(await post(live, { partnerRef: "BUS-API-1", productCode: "NOPE" }))).toEqual([
      404,
      "BUS_PRODUCT_UNKNOWN",
    ]);
    expect(await code(await post(live, { partnerRef: "BUS-API-1", productCode: "KEIRO" }))).toEqual([
      403,
      "BUS_ELIGIBILITY_NOT_SHARED",
    ]);
    expect((await post(noScope, { partnerRef: "BUS-API-1", productCode: "BOOK-11" })).status).toBe(403);
    expect(await code(await post(bank, { partnerRef: "BUS-API-1", productCode: "BOOK-11" }))).toEqual([
      404,
      "BUS_PRODUCT_UNKNOWN",
    ]);
    expect(await code(await post(test, { partnerRef: "BUS-API-1", productCode: "BOOK-11" }))).toEqual([
      403,
      "CREDENTIAL_MODE_MISMATCH",
    ]);
    expect(await code(await post(live, { partnerRef: "BUS-API-1", productCode: "BOOK-11", extra: 1 }))).toEqual([
      422,
      "VALIDATION_FAILED",
    ]);
    expect(await code(await post(live, { partnerRef: "BUS\u0000", productCode: "BOOK-11" }))).toEqual([
      422,
      "TEXT_CHARACTER_FORBIDDEN",
    ]);
    // A sandbox member is reached by the TEST credential only.
    const sandbox = await seedResident(prisma, { sandbox: true });
    await linkPartner(prisma, { residentId: sandbox.id, partnerId: w.operator.id, partnerRef: "BUS-API-SANDBOX" });
    expect((await post(test, { partnerRef: "BUS-API-SANDBOX", productCode: "MONTH" })).status).toBe(201);
  });

  it("a 敬老パス for a member who shares the predicate and is 70+; the evidence is kept", async () => {
    const prisma = db().prisma;
    const senior = await w.linkedResident({ ref: "BUS-API-SENIOR", dateOfBirth: new Date("1945-05-05T00:00:00Z") });
    await setBusEligibilityShare(prisma, {
      residentId: senior.id,
      partnerId: w.operator.id,
      predicate: "AGE_70_PLUS",
      share: true,
    });
    const res = await post(live, { partnerRef: "BUS-API-SENIOR", productCode: "KEIRO" });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ kind: "PASS", priceYen: 0, eligibility: "AGE_70_PLUS" });
    const audit = await prisma.auditEvent.findFirstOrThrow({
      where: { subjectResidentId: senior.id, type: "partner.api_access" },
      orderBy: { seq: "desc" },
    });
    expect(audit).toMatchObject({ channel: "api" });
    expect(audit.data).toMatchObject({ operation: "bus_ticket_issued", issuedBy: "operator" });
  });

  it("is in the OpenAPI document with its scope and errors", () => {
    const spec = buildOpenApiSpec() as { paths: Record<string, Record<string, { operationId: string }>> };
    expect(spec.paths["/api/v1/bus/tickets"]?.post?.operationId).toBe("issueBusTicket");
  });
});
