import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "@/lib/audit/verify-audit-chain";
import type { TBulkLineResult } from "@/lib/mailbox/deliver-bulk";
import { linkPartner } from "@/lib/mailbox/link-partner";
import {
  basicAuth,
  createDeliveryWorld,
  lifeInsurancePayload,
  seedCred,
  signPayload,
  type TCred,
  type TOrgSigner,
} from "@/test/mailbox/mailbox-world";
import { useTestDatabase } from "@/test/db";
import { seedResident } from "@/prisma/seed/factories";
import { buildOpenApiSpec } from "../../_lib/openapi";
import { serveV1ForTest } from "../../../../../test/api/serve-v1-for-test";
import { MAX_BULK_BODY_BYTES } from "./schema";

const basic = basicAuth;
type TSummary = {
  summary: { lines: number; delivered: number; replayed: number; refused: number; aborted?: { code: string } };
};

describe("POST /api/v1/documents/bulk over real HTTP", () => {
  const db = useTestDatabase();
  let origin: string;
  let close: () => Promise<void>;
  let _trust: Uint8Array[];
  let signer: TOrgSigner;
  let partnerId: string;
  let cred: TCred;
  let residentA: { id: string };
  let residentB: { id: string };

  beforeAll(async () => {
    const p = db().prisma;
    const world = await createDeliveryWorld(p);
    _trust = world.trustAnchors;
    const partner = world.insurer;
    partnerId = partner.id;
    signer = world.signer;
    cred = await seedCred(p, partner.id, { scopes: ["documents:deliver"] });
    residentA = await seedResident(p);
    residentB = await seedResident(p);
    await linkPartner(p, { residentId: residentA.id, partnerId: partner.id, partnerRef: "SL-A" });
    await linkPartner(p, { residentId: residentB.id, partnerId: partner.id, partnerRef: "SL-B" });
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

  const postBulk = async (lines: string[], headers: Record<string, string> = {}) => {
    const res = await fetch(`${origin}/api/v1/documents/bulk`, {
      method: "POST",
      headers: { "content-type": "application/x-ndjson", authorization: basic(cred), ...headers },
      body: `${lines.join("\n")}\n`,
    });
    const text = await res.text();
    return {
      res,
      out: text
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as TBulkLineResult | TSummary),
    };
  };

  it("[MAILBOX][BULK]: mixed good and bad lines get per-line codes; good ones are stored, bad ones write nothing, the chain verifies", async () => {
    const p = db().prisma;
    const good1 = await doc("SL-A", "BULK-1");
    const good2 = await doc("SL-B", "BULK-2");
    const lines = [
      JSON.stringify({ idempotencyKey: "bulk-k1", document: good1 }),
      "{not json",
      JSON.stringify({ idempotencyKey: "bulk-k2", document: { ...good2, payload: { ...good2.payload, year: "x" } } }),
      JSON.stringify({ idempotencyKey: "bulk-k3", document: await doc("SL-A", "BULK-3", "BULK-OTHER") }),
      JSON.stringify({ idempotencyKey: "bulk-k4", document: await doc("SL-NOBODY", "BULK-4") }),
      JSON.stringify({ idempotencyKey: "bulk-k1", document: good1 }),
      JSON.stringify({ idempotencyKey: "bulk-k1", document: good2 }),
      JSON.stringify({ document: good2 }),
      JSON.stringify({ idempotencyKey: "bulk-k5", document: { ...good2, type: "no-such-type" } }),
      "",
      JSON.stringify({ idempotencyKey: "bulk-k6", extra: 1, document: good2 }),
    ];
    const before = await p.mailboxDocument.count();
    const { res, out } = await postBulk(lines);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/x-ndjson/);
    const results = out.filter((o): o is TBulkLineResult => "line" in o);
    const summary = out.at(-1) as TSummary;
    const byLine = new Map(results.map((r) => [r.line, r]));
    const codeOf = (line: number) => {
      const r = byLine.get(line);
      return r?.status === "refused" ? r.error.code : r?.status;
    };
    expect(results.map((r) => r.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 11]);
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 11].map(codeOf)).toEqual([
      "delivered",
      "BAD_JSON",
      "VALIDATION_FAILED",
      "DOCUMENT_SIGNATURE_INVALID",
      "RECIPIENT_NOT_LINKED",
      "replayed",
      "IDEMPOTENCY_KEY_REUSED",
      "delivered",
      "DOCUMENT_TYPE_UNKNOWN",
      "VALIDATION_FAILED",
    ]);
    expect(summary.summary).toEqual({ lines: 10, delivered: 2, replayed: 1, refused: 7 });
    const first = byLine.get(1);
    const repeat = byLine.get(6);
    if (first?.status !== "delivered" || repeat?.status !== "replayed") throw new Error("unexpected statuses");
    expect(repeat.receipt.id).toBe(first.receipt.id);
    expect(first.receipt).toMatchObject({
      status: "delivered",
      signature: { valid: true, signer: "さくら生命保険株式会社" },
    });

    // Exactly the two good documents were written, each with its audit event; nothing else.
    expect(await p.mailboxDocument.count()).toBe(before + 2);
    const stored = await p.mailboxDocument.findUniqueOrThrow({ where: { id: first.receipt.id } });
    expect(stored.residentId).toBe(residentA.id);
    expect(stored.searchText.length).toBeGreaterThan(0);
    expect(await p.deliveryRequest.count({ where: { partnerId } })).toBe(1);
    // One "a document arrived" e-mail queued per delivered document, none for refused lines.
    expect(
      (await p.notificationOutbox.findMany({ select: { documentId: true } })).map((o) => o.documentId).sort(),
    ).toEqual([first.receipt.id, (byLine.get(8) as { receipt: { id: string } }).receipt.id].sort());
    const events = await p.auditEvent.findMany({ where: { type: "document.delivered" }, orderBy: { seq: "asc" } });
    expect(events.map((e) => (e.data as { documentId: string }).documentId).sort()).toEqual(
      [first.receipt.id, (byLine.get(8) as { receipt: { id: string } }).receipt.id].sort(),
    );
    expect(events.map((e) => e.subjectResidentId).sort()).toEqual([residentA.id, residentB.id].sort());
    expect(await verifyAuditChain(p)).toMatchObject({ ok: true });

    // The same bulk again: the keyed line replays from the database, nothing is delivered twice.
    const again = await postBulk([lines[0]!]);
    const r = again.out[0] as TBulkLineResult;
    expect(r.status === "replayed" && r.receipt.id).toBe(first.receipt.id);
    expect(await p.mailboxDocument.count()).toBe(before + 2);
  });

  it("[INPUT][BULK_TEXT]: a line with U+0000 or a lone surrogate is refused alone (422 TEXT_CHARACTER_FORBIDDEN), the others are delivered; junk lines write at most a few failure rows", async () => {
    const p = db().prisma;
    const good = await doc("SL-A", "BULK-TEXT-1");
    const nul = { ...(await doc("SL-A", "BULK-TEXT-2")), labels: ["a\u0000b"] };
    const lone = { ...(await doc("SL-B", "BULK-TEXT-3")), recipient: { partnerRef: "SL-B\ud800" } };
    const failuresBefore = await p.deliveryFailure.count({ where: { partnerId } });
    const junk = Array.from({ length: 150 }, () => "{}");
    // A credential of its own: the earlier tests spent this one's per-minute budget.
    const own = await seedCred(p, partnerId, { scopes: ["documents:deliver"] });
    const { res, out } = await postBulk(
      [
        JSON.stringify({ idempotencyKey: "text-1", document: good }),
        JSON.stringify({ idempotencyKey: "text-2", document: nul }),
        JSON.stringify({ idempotencyKey: "text-3", document: lone }),
        ...junk,
      ],
      { authorization: basic(own) },
    );
    expect(res.status).toBe(200);
    const lines = out.filter((o): o is TBulkLineResult => "line" in o);
    expect(lines).toHaveLength(153);
    expect(lines[0]).toMatchObject({ line: 1, status: "delivered" });
    expect(lines[1]).toMatchObject({
      line: 2,
      status: "refused",
      error: { code: "TEXT_CHARACTER_FORBIDDEN", details: { field: "document.labels[0]" } },
    });
    expect(lines[2]).toMatchObject({
      line: 3,
      status: "refused",
      error: { code: "TEXT_CHARACTER_FORBIDDEN", details: { field: "document.recipient.partnerRef" } },
    });
    expect(lines.slice(3).every((l) => l.status === "refused" && l.error?.code === "VALIDATION_FAILED")).toBe(true);
    // The two refused lines and at most 20 of the 150 junk lines leave a failure row.
    const written = (await p.deliveryFailure.count({ where: { partnerId } })) - failuresBefore;
    expect(written).toBeLessThanOrEqual(20);
    expect(written).toBeGreaterThanOrEqual(2);
  });

  it("[MAILBOX][BULK]: wrong media type is 415, a declared oversize body is 413, a line over the cap aborts with PAYLOAD_TOO_LARGE", async () => {
    const wrong = await fetch(`${origin}/api/v1/documents/bulk`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: basic(cred) },
      body: "{}",
    });
    expect(wrong.status).toBe(415);
    expect((await wrong.json()).error.code).toBe("UNSUPPORTED_MEDIA_TYPE");

    const big = await fetch(`${origin}/api/v1/documents/bulk`, {
      method: "POST",
      headers: {
        "content-type": "application/x-ndjson",
        authorization: basic(cred),
        "content-length": String(MAX_BULK_BODY_BYTES + 1),
      },
      body: "x".repeat(10),
    }).catch(() => undefined);
    // undici may refuse a lying Content-Length itself; when it sends, the server must answer 413.
    if (big) expect(big.status).toBe(413);

    const huge = `{"document":"${"a".repeat(16 * 1024 * 1024)}"}`;
    const { res, out } = await postBulk([JSON.stringify({ document: await doc("SL-A", "CAP-1") }), huge]);
    expect(res.status).toBe(200);
    const last = out.at(-1) as TSummary;
    expect(last.summary.aborted?.code).toBe("PAYLOAD_TOO_LARGE");
    expect((out[0] as TBulkLineResult).status).toBe("delivered");
  });

  it("[MAILBOX][BULK]: the operation is in the OpenAPI spec with NDJSON bodies", () => {
    const spec = buildOpenApiSpec() as { paths: Record<string, { post?: { requestBody: { content: object } } }> };
    const op = spec.paths["/api/v1/documents/bulk"]?.post;
    expect(Object.keys(op?.requestBody.content ?? {})).toEqual(["application/x-ndjson"]);
  });
});
