import { beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "@/lib/audit/verify-audit-chain";
import { useTestDatabase } from "@/test/db";
import { startBulkDelivery, type TBulkLineResult } from "./deliver-bulk";
import {
  createLinkedInsurer,
  lifeInsurancePayload,
  signPayload,
  type TOrgSigner,
} from "../../test/mailbox/mailbox-world";

/**
 * Bulk delivery under injected database faults: a PostgreSQL trigger refuses chosen rows, either
 * as the row's own fault (SQLSTATE P0001) or as a server fault (57P01, what a shutdown raises).
 * Every line read is answered exactly once, what is reported delivered is exactly what is
 * stored, and a retry with the same idempotency keys completes exactly what is missing.
 */
describe("startBulkDelivery under database faults", () => {
  const db = useTestDatabase();
  let trust: Uint8Array[];
  let signer: TOrgSigner;
  let partnerId: string;

  beforeAll(async () => {
    ({ trust, signer, partnerId } = await createLinkedInsurer(db().prisma, ["SL-A"]));
  });

  async function injectFault(marker: string, sqlState: string): Promise<() => Promise<void>> {
    const p = db().prisma;
    const fn = `inject_${marker.toLowerCase().replace(/[^a-z]/g, "_")}`;
    await p.$executeRawUnsafe(
      `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
         IF NEW."payload"::text LIKE '%${marker}%' THEN RAISE EXCEPTION 'injected fault' USING ERRCODE = '${sqlState}'; END IF;
         RETURN NEW; END $$`,
    );
    await p.$executeRawUnsafe(
      `CREATE TRIGGER ${fn} BEFORE INSERT ON "MailboxDocument" FOR EACH ROW EXECUTE FUNCTION ${fn}()`,
    );
    return async () => {
      await p.$executeRawUnsafe(`DROP TRIGGER ${fn} ON "MailboxDocument"`);
      await p.$executeRawUnsafe(`DROP FUNCTION ${fn}()`);
    };
  }

  async function linesOf(prefix: string, count: number, policyOf: (i: number) => string) {
    return Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const payload = lifeInsurancePayload({ policyNumber: policyOf(i + 1) });
        const document = {
          type: "life-insurance-deduction-certificate",
          recipient: { partnerRef: "SL-A" },
          payload,
          signature: await signPayload(signer, payload),
        };
        return { line: i + 1, text: JSON.stringify({ idempotencyKey: `${prefix}-${i + 1}`, document }) };
      }),
    );
  }

  async function deliver(lines: { line: number; text: string }[]) {
    async function* source() {
      yield* lines;
    }
    const out: TBulkLineResult[] = [];
    let aborted: unknown;
    try {
      for await (const r of await startBulkDelivery(db().prisma, {
        partnerId,
        lines: source(),
        trustAnchors: trust,
        batchSize: 100,
      })) {
        out.push(r);
      }
    } catch (err) {
      aborted = err;
    }
    return { out, aborted };
  }

  const stored = (prefix: string) =>
    db().prisma.mailboxDocument.count({ where: { payload: { path: ["policyNumber"], string_starts_with: prefix } } });

  it("[MAILBOX][BULK][FAULT]: a row the database refuses voids only its own line (422 DOCUMENT_NOT_STORABLE); the rest of its batch is delivered", async () => {
    const lines = await linesOf("row", 450, (i) => (i === 250 ? "ROWFAULT-250" : `ROWOK-${i}`));
    const restore = await injectFault("ROWFAULT", "P0001");
    try {
      const { out, aborted } = await deliver(lines);
      expect(aborted).toBeUndefined();
      expect(out.map((r) => r.line)).toEqual(lines.map((l) => l.line));
      expect(out[249]).toMatchObject({ line: 250, status: "refused", error: { code: "DOCUMENT_NOT_STORABLE" } });
      expect(out.filter((r) => r.status === "delivered")).toHaveLength(449);
    } finally {
      await restore();
    }
    expect(await stored("ROWOK-")).toBe(449);
    expect(await stored("ROWFAULT-")).toBe(0);
    expect(await verifyAuditChain(db().prisma)).toMatchObject({ ok: true });
  });

  it("[MAILBOX][BULK][FAULT]: a database fault at line 250 stops the delivery: every line read is answered once, delivered = stored, nothing after the fault is written; the retry with the same keys completes exactly", async () => {
    const lines = await linesOf("db", 450, (i) => (i === 250 ? "DBFAULT-250" : `DBOK-${i}`));
    const restore = await injectFault("DBFAULT", "57P01");
    let first: Awaited<ReturnType<typeof deliver>>;
    try {
      first = await deliver(lines);
    } finally {
      await restore();
    }
    expect(first.aborted).toBeDefined();
    const answered = first.out.map((r) => r.line);
    // Batches of 100: 1–200 committed; 201–300 held the fault; 301–400 was verified meanwhile.
    expect(answered).toEqual(lines.slice(0, 400).map((l) => l.line));
    const delivered = first.out.filter((r) => r.status === "delivered");
    expect(delivered.map((r) => r.line)).toEqual(lines.slice(0, 200).map((l) => l.line));
    expect(first.out.slice(200).every((r) => r.status === "refused" && r.error?.code === "DELIVERY_NOT_STORED")).toBe(
      true,
    );
    expect(await stored("DBOK-")).toBe(200);

    // The retry with the same lines and keys: the 200 stored ones replay, the 250 others deliver.
    const retry = await deliver(lines);
    expect(retry.aborted).toBeUndefined();
    expect(retry.out.map((r) => r.line)).toEqual(lines.map((l) => l.line));
    expect(retry.out.slice(0, 200).every((r) => r.status === "replayed")).toBe(true);
    expect(retry.out.slice(200).every((r) => r.status === "delivered")).toBe(true);
    const receiptId = (r: TBulkLineResult | undefined) => (r && "receipt" in r ? r.receipt.id : undefined);
    expect(receiptId(retry.out[0])).toBe(receiptId(delivered[0]));
    expect((await stored("DBOK-")) + (await stored("DBFAULT-"))).toBe(450);
    expect(await verifyAuditChain(db().prisma)).toMatchObject({ ok: true });
  });
});
