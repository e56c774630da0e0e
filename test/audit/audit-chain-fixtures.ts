import pg from "pg";
import type { PrismaClient } from "../../lib/db/client";
import { appendAuditEvent } from "../../lib/audit/append-audit-event";
import { computeAuditEventHash } from "../../lib/audit/audit-hash";
import type { TAppendAuditEventInput } from "../../lib/audit/schemas";

export const TEST_SUBJECT = "6f1c1d0e-5a3b-4c2d-9e8f-0123456789ab";

/** The i-th test event: Japanese text, nested data and a U+2028 to exercise canonicalisation. */
export function testAuditEvent(i: number): TAppendAuditEventInput {
  return {
    type: "resident.record_read",
    actor: { type: "staff", id: `staff-${i}` },
    subjectResidentId: TEST_SUBJECT,
    purpose: "窓口での本人確認",
    channel: "console",
    requestMetadata: { ip: "192.0.2.1", userAgent: "Mozilla/5.0" },
    data: { i, z: [1.5, null, true], a: "日本語\u2028", nested: { y: 1, b: "x" } },
  };
}

/** Append n test events, one transaction each. */
export async function appendTestAuditEvents(prisma: PrismaClient, n: number, from = 0): Promise<void> {
  for (let i = from; i < from + n; i++) await prisma.$transaction((tx) => appendAuditEvent(tx, testAuditEvent(i)));
}

/** Run SQL as the table owner with the append-only trigger switched off, to simulate tampering. */
export async function tamperAuditEvents(url: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_append_only"`);
    await c.query(sql);
    await c.query(`ALTER TABLE "AuditEvent" ENABLE TRIGGER "AuditEvent_append_only"`);
  } finally {
    await c.end();
  }
}

/**
 * What a tamperer with database write access does: edit `data.i` of the event at `seq` and
 * re-hash it and every later event, so the chain stays self-consistent to its end.
 */
export async function rewriteAuditChainFrom(prisma: PrismaClient, url: string, seq: bigint): Promise<void> {
  const rows = await prisma.auditEvent.findMany({ where: { seq: { gte: seq - 1n } }, orderBy: { seq: "asc" } });
  let prevHash = rows[0]!.seq === seq ? rows[0]!.prevHash : rows[0]!.hash;
  const updates: string[] = [];
  for (const row of rows) {
    if (row.seq < seq) continue;
    const data = row.seq === seq ? { ...(row.data as object), i: 4000 } : row.data;
    const hash = computeAuditEventHash({ ...row, data, prevHash });
    updates.push(
      `UPDATE "AuditEvent" SET data = '${JSON.stringify(data).replace(/'/g, "''")}', "prevHash" = '${prevHash}', hash = '${hash}' WHERE seq = ${row.seq}`,
    );
    prevHash = hash;
  }
  await tamperAuditEvents(url, updates.join(";\n"));
}
