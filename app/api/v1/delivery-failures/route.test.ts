import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverDocument } from "@/lib/mailbox/deliver-document";
import { recordDeliveryFailures, type TDeliveryFailure } from "@/lib/mailbox/delivery-failures";
import { linkPartner } from "@/lib/mailbox/link-partner";
import { shareDocument } from "@/lib/mailbox/share-document";
import {
  basicAuth,
  createDeliveryWorld,
  lifeInsurancePayload,
  seedCred,
  signPayload,
  type TCred,
  type TOrgSigner,
} from "@/test/mailbox/mailbox-world";
import { listPartnerDeliveryFailures, ZPartnerDocumentFilter } from "@/lib/partners/list-partner-documents";
import { useTestDatabase } from "@/test/db";
import { captureLogs } from "@/test/log/capture-logs";
import { seedPartner, seedResident } from "@/prisma/seed/factories";
import { buildOpenApiSpec } from "../_lib/openapi";
import { serveV1ForTest } from "../../../../test/api/serve-v1-for-test";

type TPage = { failures: TDeliveryFailure[]; nextCursor: string | null };

describe("receipt status and delivery failures over real HTTP", () => {
  const db = useTestDatabase();
  let origin: string;
  let close: () => Promise<void>;
  let trust: Uint8Array[];
  let signer: TOrgSigner;
  let sakuraId: string;
  let bankId: string;
  let sakura: TCred;
  let sakuraDeliverOnly: TCred;
  let bank: TCred;
  let residentA: { id: string };
  let residentB: { id: string };

  beforeAll(async () => {
    const p = db().prisma;
    const world = await createDeliveryWorld(p);
    trust = world.trustAnchors;
    signer = world.signer;
    const bankPartner = await seedPartner(p, { slug: "awa-bank", name: "阿波みらい銀行", kind: "BANK" });
    sakuraId = world.insurer.id;
    bankId = bankPartner.id;
    sakura = await seedCred(p, sakuraId, { scopes: ["documents:deliver", "documents:status"] });
    sakuraDeliverOnly = await seedCred(p, sakuraId, { scopes: ["documents:deliver"] });
    bank = await seedCred(p, bankId, { scopes: ["documents:status"] });
    residentA = await seedResident(p);
    residentB = await seedResident(p);
    await linkPartner(p, { residentId: residentA.id, partnerId: sakuraId, partnerRef: "SL-A" });

    ({ origin, close } = await serveV1ForTest(world));
  });
  afterAll(async () => {
    await close?.();
  });

  const doc = async (partnerRef: string, policyNumber: string, signedPolicy = policyNumber) => ({
    type: "life-insurance-deduction-certificate",
    recipient: { partnerRef },
    payload: lifeInsurancePayload({ policyNumber }),
    signature: await signPayload(signer, lifeInsurancePayload({ policyNumber: signedPolicy })),
  });
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${origin}/api/v1/documents`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: basicAuth(sakura), ...headers },
      body: JSON.stringify(body),
    });
  const getReceipt = async (id: string) => {
    const res = await fetch(`${origin}/api/v1/documents/${id}`, { headers: { authorization: basicAuth(sakura) } });
    expect(res.status).toBe(200);
    return (await res.json()) as { status: string };
  };
  const listFailures = async (cred: TCred, query = "") => {
    const res = await fetch(`${origin}/api/v1/delivery-failures${query}`, {
      headers: { authorization: basicAuth(cred) },
    });
    return { res, body: (await res.json()) as TPage & { error?: { code: string } } };
  };

  it("[MAILBOX][RECEIPT]: the receipt says delivered, opened, then shared after a share; expired wins over shared", async () => {
    const p = db().prisma;
    const res = await post(await doc("SL-A", "RCPT-1"));
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    expect((await getReceipt(id)).status).toBe("delivered");
    await p.mailboxDocument.update({ where: { id }, data: { readAt: new Date() } });
    expect((await getReceipt(id)).status).toBe("opened");
    await shareDocument(p, { residentId: residentA.id, documentId: id, target: { link: true }, channel: "pc" });
    expect((await getReceipt(id)).status).toBe("shared");
    await p.mailboxDocument.update({ where: { id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await getReceipt(id)).status).toBe("expired");
    // The documented precedence is in the OpenAPI document, and the enum has "shared".
    const spec = buildOpenApiSpec() as {
      paths: Record<string, Record<string, { description: string; "x-required-scope"?: string }>>;
      components: { schemas: Record<string, { properties: Record<string, { enum?: string[] }> }> };
    };
    expect(spec.paths["/api/v1/documents/{id}"]!.get!.description).toMatch(/`expired`.*wins.*`shared`/);
    expect(spec.components.schemas.GetDocumentReceiptResponse200!.properties.status!.enum).toEqual([
      "delivered",
      "opened",
      "shared",
      "expired",
    ]);
    expect(spec.paths["/api/v1/delivery-failures"]!.get!["x-required-scope"]).toBe("documents:status");
  });

  it("[MAILBOX][FAILED]: a refused single delivery leaves one DeliveryFailure and no document; a retry with the same key delivers once linked", async () => {
    const p = db().prisma;
    const before = { documents: await p.mailboxDocument.count(), requests: await p.deliveryRequest.count() };
    const body = await doc("SL-LATER", "FAIL-1");
    const res = await post(body, { "idempotency-key": "retry-after-link" });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("RECIPIENT_NOT_LINKED");
    expect(await p.mailboxDocument.count()).toBe(before.documents);
    expect(await p.deliveryRequest.count()).toBe(before.requests);
    const rows = await p.deliveryFailure.findMany({ where: { partnerId: sakuraId } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      idempotencyKey: "retry-after-link",
      documentType: "life-insurance-deduction-certificate",
      recipientPartnerRef: "SL-LATER",
      recipientRegistryNumber: null,
      errorCode: "RECIPIENT_NOT_LINKED",
      httpStatus: 403,
      bulkLine: null,
    });
    // Nothing of the payload: the row has exactly these columns.
    expect(Object.keys(rows[0]!).sort()).toEqual(
      [
        "bulkId",
        "bulkLine",
        "createdAt",
        "documentType",
        "errorCode",
        "httpStatus",
        "id",
        "idempotencyKey",
        "partnerId",
        "recipientPartnerRef",
        "recipientRegistryNumber",
      ].sort(),
    );

    // The resident links the partner; the same key now delivers (a failure is not replayed).
    await linkPartner(p, { residentId: residentB.id, partnerId: sakuraId, partnerRef: "SL-LATER" });
    const retry = await post(body, { "idempotency-key": "retry-after-link" });
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBeNull();
    expect(await p.mailboxDocument.count()).toBe(before.documents + 1);
    expect(await p.deliveryFailure.count({ where: { partnerId: sakuraId } })).toBe(1);
    // A body that is not even the schema is recorded with what could be read of it.
    const bad = await post({ type: "x".repeat(300), recipient: { registryNumber: "R-1" } });
    expect(bad.status).toBe(422);
    const last = await p.deliveryFailure.findFirstOrThrow({
      where: { partnerId: sakuraId, errorCode: "VALIDATION_FAILED" },
    });
    expect(last).toMatchObject({ documentType: "x".repeat(100), recipientRegistryNumber: "R-1", httpStatus: 422 });
    const notJson = await fetch(`${origin}/api/v1/documents`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: basicAuth(sakura), "idempotency-key": "nj-1" },
      body: "{not json",
    });
    expect(notJson.status).toBe(400);
    expect(
      await p.deliveryFailure.findFirstOrThrow({ where: { partnerId: sakuraId, errorCode: "BAD_JSON" } }),
    ).toMatchObject({ idempotencyKey: "nj-1", documentType: null, recipientPartnerRef: null, httpStatus: 400 });
  });

  it("[MAILBOX][FAILED][BULK]: each refused bulk line leaves one DeliveryFailure with its line and code, and no document", async () => {
    const p = db().prisma;
    const before = await p.mailboxDocument.count();
    const failuresBefore = await p.deliveryFailure.count();
    const lines = [
      JSON.stringify({ idempotencyKey: "bulk-ok", document: await doc("SL-A", "BULK-OK") }),
      JSON.stringify({ idempotencyKey: "bulk-sig", document: await doc("SL-A", "BULK-SIG", "OTHER") }),
      JSON.stringify({ idempotencyKey: "bulk-nobody", document: await doc("SL-NOBODY", "BULK-N") }),
      "{not json",
    ];
    const res = await fetch(`${origin}/api/v1/documents/bulk`, {
      method: "POST",
      headers: { "content-type": "application/x-ndjson", authorization: basicAuth(sakura) },
      body: `${lines.join("\n")}\n`,
    });
    expect(res.status).toBe(200);
    const out = (await res.text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(out.at(-1).summary).toMatchObject({ lines: 4, delivered: 1, refused: 3 });
    expect(await p.mailboxDocument.count()).toBe(before + 1);
    const rows = await p.deliveryFailure.findMany({
      where: { partnerId: sakuraId, bulkLine: { not: null } },
      orderBy: { bulkLine: "asc" },
    });
    expect(await p.deliveryFailure.count()).toBe(failuresBefore + 3);
    expect(rows.map((r) => [r.bulkLine, r.errorCode, r.httpStatus, r.idempotencyKey, r.recipientPartnerRef])).toEqual([
      [2, "DOCUMENT_SIGNATURE_INVALID", 422, "bulk-sig", "SL-A"],
      [3, "RECIPIENT_NOT_LINKED", 403, "bulk-nobody", "SL-NOBODY"],
      [4, "BAD_JSON", 400, null, null],
    ]);
    expect(new Set(rows.map((r) => r.bulkId)).size).toBe(1);
    expect(rows[0]!.bulkId).not.toBeNull();
  });

  it("[MAILBOX][FAILED][AUTHZ]: GET /api/v1/delivery-failures pages the partner's own failures only; scope enforced", async () => {
    const p = db().prisma;
    await recordDeliveryFailures(p, [
      {
        partnerId: bankId,
        documentType: "notice",
        recipientPartnerRef: "BANK-ONLY",
        recipientRegistryNumber: null,
        errorCode: "RECIPIENT_NOT_LINKED",
        httpStatus: 403,
      },
    ]);
    const own = await p.deliveryFailure.count({ where: { partnerId: sakuraId } });
    expect(own).toBe(6);
    const seen: TDeliveryFailure[] = [];
    let query = "?limit=2";
    for (let i = 0; i < 10; i++) {
      const { res, body } = await listFailures(sakura, query);
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("no-store");
      seen.push(...body.failures);
      if (!body.nextCursor) break;
      expect(body.failures).toHaveLength(2);
      query = `?limit=2&cursor=${encodeURIComponent(body.nextCursor)}`;
    }
    expect(seen).toHaveLength(own);
    expect(new Set(seen.map((f) => f.id)).size).toBe(own);
    expect(seen.some((f) => f.recipient.partnerRef === "BANK-ONLY")).toBe(false);
    const times = seen.map((f) => f.failedAt);
    expect([...times].sort().reverse()).toEqual(times);

    const { body: bankPage } = await listFailures(bank);
    expect(bankPage.failures.map((f) => f.recipient.partnerRef)).toEqual(["BANK-ONLY"]);
    expect(bankPage.nextCursor).toBeNull();

    const forbidden = await listFailures(sakuraDeliverOnly);
    expect(forbidden.res.status).toBe(403);
    expect(forbidden.body.error?.code).toBe("FORBIDDEN");
    const noAuth = await fetch(`${origin}/api/v1/delivery-failures`);
    expect(noAuth.status).toBe(401);
    for (const q of ["?cursor=not-a-cursor", "?limit=0", "?limit=abc"]) {
      const bad = await listFailures(sakura, q);
      expect(bad.res.status, q).toBe(422);
      expect(bad.body.error?.code, q).toBe("VALIDATION_FAILED");
    }
  });

  it("[PARTNER][DOCUMENTS][FAILED]: the console's failed filter lists the partner's own failures by page", async () => {
    const p = db().prisma;
    expect(ZPartnerDocumentFilter.options).toContain("failed");
    const all = await listPartnerDeliveryFailures(p, { partnerId: sakuraId, pageSize: 100 });
    expect(all.total).toBe(6);
    expect(all.items.every((f) => f.recipient.partnerRef !== "BANK-ONLY")).toBe(true);
    const page2 = await listPartnerDeliveryFailures(p, { partnerId: sakuraId, pageSize: 2, page: 2 });
    expect(page2).toMatchObject({ total: 6, page: 2, pageSize: 2 });
    expect(page2.items.map((f) => f.id)).toEqual(all.items.slice(2, 4).map((f) => f.id));
    const bankList = await listPartnerDeliveryFailures(p, { partnerId: bankId });
    expect(bankList.items.map((f) => f.errorCode)).toEqual(["RECIPIENT_NOT_LINKED"]);
    expect(bankList.total).toBe(1);
  });

  it("[MAILBOX][FAILED]: a failure log that cannot be written does not change the answer", async () => {
    const p = db().prisma;
    const logs = captureLogs();
    try {
      const before = await p.deliveryFailure.count();
      // An unknown partner id: the failure row violates its foreign key and is dropped.
      await expect(
        deliverDocument(p, { partnerId: randomUUID(), request: await doc("SL-A", "GHOST"), trustAnchors: trust }),
      ).rejects.toMatchObject({ code: "PARTNER_INACTIVE" });
      expect(await p.deliveryFailure.count()).toBe(before);
      expect(logs.withMsg("could not record delivery failures")).toEqual([
        expect.objectContaining({ level: "error", component: "mailbox/delivery-failures", count: 1 }),
      ]);
    } finally {
      logs.restore();
    }
  });
});
