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

/** startBulkDelivery without HTTP: batching, idempotency across batches and requests, a broken source. */
describe("startBulkDelivery", () => {
  const db = useTestDatabase();
  let trust: Uint8Array[];
  let signer: TOrgSigner;
  let partnerId: string;

  beforeAll(async () => {
    ({ trust, signer, partnerId } = await createLinkedInsurer(db().prisma, ["SL-A", "SL-B"]));
  });

  const doc = async (partnerRef: string, policyNumber: string) => {
    const payload = lifeInsurancePayload({ policyNumber });
    return {
      type: "life-insurance-deduction-certificate",
      recipient: { partnerRef },
      payload,
      signature: await signPayload(signer, payload),
    };
  };

  it("[MAILBOX][BULK]: batches commit in order; a key repeated across batches replays; the chain verifies", async () => {
    const p = db().prisma;
    const docs = await Promise.all(Array.from({ length: 7 }, (_, i) => doc(i % 2 ? "SL-A" : "SL-B", `BATCH-${i}`)));
    const lines = docs.map((d, i) => ({
      line: i + 1,
      text: JSON.stringify({ idempotencyKey: `batch-${i}`, document: d }),
    }));
    lines.push({ line: 8, text: JSON.stringify({ idempotencyKey: "batch-0", document: docs[0] }) });
    lines.push({ line: 9, text: JSON.stringify({ idempotencyKey: "batch-6", document: docs[6] }) });
    async function* source() {
      yield* lines;
    }
    const results: TBulkLineResult[] = [];
    for await (const r of await startBulkDelivery(p, {
      partnerId,
      lines: source(),
      trustAnchors: trust,
      batchSize: 2,
    })) {
      results.push(r);
    }
    expect(results.map((r) => [r.line, r.status])).toEqual([
      ...docs.map((_, i) => [i + 1, "delivered"]),
      [8, "replayed"],
      [9, "replayed"],
    ]);
    expect(
      await p.mailboxDocument.count({ where: { payload: { path: ["policyNumber"], string_starts_with: "BATCH-" } } }),
    ).toBe(7);
    expect(await verifyAuditChain(p)).toMatchObject({ ok: true });
  });

  it("[MAILBOX][BULK]: two bulks racing with the same keys deliver each document once; the loser replays", async () => {
    const p = db().prisma;
    const docs = await Promise.all(Array.from({ length: 20 }, (_, i) => doc("SL-A", `RACE-${i}`)));
    const run = async () => {
      async function* source() {
        for (const [i, d] of docs.entries())
          yield { line: i + 1, text: JSON.stringify({ idempotencyKey: `race-${i}`, document: d }) };
      }
      const out: TBulkLineResult[] = [];
      for await (const r of await startBulkDelivery(p, {
        partnerId,
        lines: source(),
        trustAnchors: trust,
        batchSize: 5,
      })) {
        out.push(r);
      }
      return out;
    };
    const [a, b] = await Promise.all([run(), run()]);
    for (let i = 0; i < docs.length; i++) {
      const x = a[i]!;
      const y = b[i]!;
      expect([x.status, y.status].sort()).toEqual(["delivered", "replayed"]);
      if (x.status === "refused" || y.status === "refused") throw new Error("refused");
      expect(x.receipt.id).toBe(y.receipt.id);
    }
    expect(
      await p.mailboxDocument.count({ where: { payload: { path: ["policyNumber"], string_starts_with: "RACE-" } } }),
    ).toBe(20);
    expect(await verifyAuditChain(p)).toMatchObject({ ok: true });
  });

  it("[MAILBOX][BULK]: a source that breaks mid-stream finishes the lines read, then reports the error", async () => {
    const p = db().prisma;
    const d = await doc("SL-A", "ABORT-1");
    async function* source() {
      yield { line: 1, text: JSON.stringify({ document: d }) };
      throw new Error("connection reset");
    }
    const results: TBulkLineResult[] = [];
    await expect(
      (async () => {
        for await (const r of await startBulkDelivery(p, { partnerId, lines: source(), trustAnchors: trust })) {
          results.push(r);
        }
      })(),
    ).rejects.toThrow("connection reset");
    expect(results.map((r) => r.status)).toEqual(["delivered"]);
  });
});
