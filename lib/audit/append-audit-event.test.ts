import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import { describe, expect, it } from "vitest";
import type { TAppendAuditEventInput } from "./schemas";
import { createTestDatabase, useTestDatabase } from "../../test/db";
import { appendAuditEvent, appendAuditEvents } from "./append-audit-event";
import { computeAuditEventHash, GENESIS_PREV_HASH } from "./audit-hash";
import {
  appendTestAuditEvents,
  TEST_SUBJECT,
  tamperAuditEvents,
  testAuditEvent,
} from "../../test/audit/audit-chain-fixtures";
import { verifyAuditChain } from "./verify-audit-chain";

describe("audit log hash chain", () => {
  const db = useTestDatabase();

  it("starts at seq 1 with 64 zeros and hashes the RFC 8785 form of the row plus prevHash", async () => {
    const { prisma } = db();
    const first = await prisma.$transaction((tx) => appendAuditEvent(tx, testAuditEvent(0)));
    expect(first.seq).toBe(1n);
    expect(first.prevHash).toBe(GENESIS_PREV_HASH);
    const row = await prisma.auditEvent.findUniqueOrThrow({ where: { seq: 1n } });
    const expected = createHash("sha256")
      .update(
        canonicalize({
          v: 1,
          seq: "1",
          id: row.id,
          occurredAt: row.occurredAt.toISOString(),
          type: "resident.record_read",
          actorType: "staff",
          actorId: "staff-0",
          subjectResidentId: TEST_SUBJECT,
          purpose: "窓口での本人確認",
          channel: "console",
          ip: "192.0.2.1",
          userAgent: "Mozilla/5.0",
          data: { i: 0, z: [1.5, null, true], a: "日本語\u2028", nested: { y: 1, b: "x" } },
          prevHash: GENESIS_PREV_HASH,
        })!,
      )
      .digest("hex");
    expect(row.hash).toBe(expected);
    expect(first.hash).toBe(expected);

    const second = await prisma.$transaction((tx) => appendAuditEvent(tx, testAuditEvent(1)));
    expect(second.seq).toBe(2n);
    expect(second.prevHash).toBe(first.hash);
  });

  it("commits and rolls back with the caller's transaction, leaving no gap", async () => {
    const { prisma } = db();
    const before = await prisma.auditEvent.count();
    await expect(
      prisma.$transaction(async (tx) => {
        await appendAuditEvent(tx, testAuditEvent(99));
        throw new Error("business rule failed");
      }),
    ).rejects.toThrow("business rule failed");
    expect(await prisma.auditEvent.count()).toBe(before);
    const next = await prisma.$transaction((tx) => appendAuditEvent(tx, testAuditEvent(100)));
    expect(next.seq).toBe(BigInt(before + 1));
  });

  it("refuses the root client and invalid input", async () => {
    const { prisma } = db();
    await expect(appendAuditEvent(prisma, testAuditEvent(0))).rejects.toMatchObject({
      code: "AUDIT_NOT_IN_TRANSACTION",
    });
    await expect(
      prisma.$transaction((tx) =>
        appendAuditEvent(tx, { ...testAuditEvent(0), type: "resident.peeked" as TAppendAuditEventInput["type"] }),
      ),
    ).rejects.toThrow();
    await expect(
      prisma.$transaction((tx) => appendAuditEvent(tx, { ...testAuditEvent(0), subjectResidentId: "not-a-uuid" })),
    ).rejects.toThrow();
  });

  it("appends a mixed batch in order, linked and hashed as single appends are, and the chain verifies", async () => {
    const { prisma } = db();
    const before = BigInt(await prisma.auditEvent.count());
    const batch: TAppendAuditEventInput[] = [
      testAuditEvent(300),
      { type: "auth.login_failed", actor: { type: "resident" }, channel: "pc", data: { code: "PIN_LOCKED" } },
      {
        type: "document.delivered",
        actor: { type: "partner", id: "partner-1" },
        subjectResidentId: TEST_SUBJECT.toUpperCase(),
        purpose: "書類の配信",
        channel: "api",
        requestMetadata: { ip: "192.0.2.7", userAgent: "x".repeat(600) },
        data: { documentId: "d-1", attachments: 0 },
      },
      testAuditEvent(301),
    ];
    const appended = await prisma.$transaction(async (tx) => {
      const single = await appendAuditEvent(tx, testAuditEvent(299));
      return [single, ...(await appendAuditEvents(tx, batch))];
    });
    expect(appended.map((a) => a.seq)).toEqual([1n, 2n, 3n, 4n, 5n].map((i) => before + i));
    for (let i = 1; i < appended.length; i++) expect(appended[i]!.prevHash).toBe(appended[i - 1]!.hash);
    const rows = await prisma.auditEvent.findMany({ where: { seq: { gt: before } }, orderBy: { seq: "asc" } });
    expect(rows.map((r) => [r.seq, r.id, r.hash, r.prevHash, r.occurredAt.getTime()])).toEqual(
      appended.map((a) => [a.seq, a.id, a.hash, a.prevHash, a.occurredAt.getTime()]),
    );
    for (const row of rows) expect(computeAuditEventHash(row)).toBe(row.hash);
    expect(rows.map((r) => r.type)).toEqual([
      "resident.record_read",
      "resident.record_read",
      "auth.login_failed",
      "document.delivered",
      "resident.record_read",
    ]);
    // The same normalisation as a single append: lower-case subject, capped user agent, explicit nulls.
    expect(rows[3]).toMatchObject({ subjectResidentId: TEST_SUBJECT, actorId: "partner-1", ip: "192.0.2.7" });
    expect(rows[3]!.userAgent).toHaveLength(512);
    expect(rows[2]).toMatchObject({ actorId: null, subjectResidentId: null, purpose: null, ip: null, userAgent: null });
    expect(await verifyAuditChain(prisma, { batchSize: 3 })).toMatchObject({ ok: true, count: before + 5n });
    expect(await prisma.$transaction((tx) => appendAuditEvents(tx, []))).toEqual([]);
  });

  it("refuses a batch with an unknown event type before anything is written", async () => {
    const { prisma } = db();
    const before = await prisma.auditEvent.count();
    const unknown = { ...testAuditEvent(2), type: "resident.peeked" as TAppendAuditEventInput["type"] };
    await expect(
      prisma.$transaction((tx) => appendAuditEvents(tx, [testAuditEvent(0), testAuditEvent(1), unknown])),
    ).rejects.toThrow();
    // Refused while parsing, outside a transaction too: the lock is never reached.
    await expect(appendAuditEvents(prisma, [testAuditEvent(0), unknown])).rejects.not.toMatchObject({
      code: "AUDIT_NOT_IN_TRANSACTION",
    });
    expect(await prisma.auditEvent.count()).toBe(before);
    await expect(appendAuditEvents(prisma, [testAuditEvent(0)])).rejects.toMatchObject({
      code: "AUDIT_NOT_IN_TRANSACTION",
    });
  });

  it("never forks the chain under 20 concurrent appends", async () => {
    const { prisma } = db();
    const before = await prisma.auditEvent.count();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        prisma.$transaction(async (tx) => {
          // Some work before and after the append widens the race window.
          await tx.$queryRaw`SELECT pg_sleep(0.01)::text`;
          const appended = await appendAuditEvent(tx, testAuditEvent(1000 + i));
          await tx.$queryRaw`SELECT pg_sleep(0.005)::text`;
          return appended;
        }),
      ),
    );
    const seqs = results.map((r) => r.seq).sort((a, b) => (a < b ? -1 : 1));
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => BigInt(before + 1 + i)));
    expect(new Set(results.map((r) => r.prevHash)).size).toBe(20);
    const report = await verifyAuditChain(prisma, { batchSize: 7 });
    expect(report).toMatchObject({ ok: true, count: BigInt(before + 20) });
  });

  it("keeps the table append-only for ordinary writes", async () => {
    const { prisma } = db();
    await expect(prisma.$executeRaw`UPDATE "AuditEvent" SET "purpose" = 'x' WHERE seq = 1`).rejects.toThrow(
      /append-only/,
    );
    await expect(prisma.$executeRaw`DELETE FROM "AuditEvent" WHERE seq = 1`).rejects.toThrow(/append-only/);
  });
});

describe("audit chain verification detects tampering", () => {
  async function chainOf(n: number) {
    const db = await createTestDatabase();
    await appendTestAuditEvents(db.prisma, n);
    return db;
  }

  it("verifies an untouched chain, in batches smaller than the chain", async () => {
    const db = await chainOf(12);
    expect(await verifyAuditChain(db.prisma, { batchSize: 5 })).toMatchObject({ ok: true, count: 12n });
    await db.prisma.$disconnect();
  });

  it("reports an edited row at its seq", async () => {
    const db = await chainOf(10);
    await tamperAuditEvents(db.url, `UPDATE "AuditEvent" SET data = jsonb_set(data, '{i}', '42') WHERE seq = 6`);
    expect(await verifyAuditChain(db.prisma, { batchSize: 4 })).toEqual({
      ok: false,
      count: 5n,
      brokenSeq: 6n,
      reason: "hash_mismatch",
    });
    await db.prisma.$disconnect();
  });

  it("reports a consistently re-hashed row at the next seq", async () => {
    const db = await chainOf(10);
    // The tamperer edits seq 4 and recomputes its hash: the row is self-consistent, seq 5 is not.
    const row = await db.prisma.auditEvent.findUniqueOrThrow({ where: { seq: 4n } });
    const data = { ...(row.data as object), i: 4000 };
    const hash = computeAuditEventHash({ ...row, data });
    await tamperAuditEvents(
      db.url,
      `UPDATE "AuditEvent" SET data = '${JSON.stringify(data)}', hash = '${hash}' WHERE seq = 4`,
    );
    expect(await verifyAuditChain(db.prisma)).toEqual({
      ok: false,
      count: 4n,
      brokenSeq: 5n,
      reason: "prev_hash_mismatch",
    });
    await db.prisma.$disconnect();
  });

  it("reports a deleted row as a gap at the missing seq", async () => {
    const db = await chainOf(9);
    await tamperAuditEvents(db.url, `DELETE FROM "AuditEvent" WHERE seq = 7`);
    expect(await verifyAuditChain(db.prisma, { batchSize: 3 })).toEqual({
      ok: false,
      count: 6n,
      brokenSeq: 7n,
      reason: "gap",
    });
    await db.prisma.$disconnect();
  });

  it("reports a prevHash that does not link to the previous row", async () => {
    const db = await chainOf(8);
    await tamperAuditEvents(db.url, `UPDATE "AuditEvent" SET "prevHash" = repeat('0', 64) WHERE seq = 3`);
    expect(await verifyAuditChain(db.prisma)).toEqual({
      ok: false,
      count: 2n,
      brokenSeq: 3n,
      reason: "prev_hash_mismatch",
    });
    await db.prisma.$disconnect();
  });
});
