import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, describe, expect, it } from "vitest";
import { seedStaffMember } from "../../prisma/seed/factories";
import { appendTestAuditEvents, TEST_SUBJECT, tamperAuditEvents } from "../../test/audit/audit-chain-fixtures";
import { createTestDatabase } from "../../test/db";
import { appendAuditEvent } from "./append-audit-event";
import { writeAuditAnchor } from "./audit-anchor";
import { AUDIT_CSV_COLUMNS, exportAuditEvents, listAuditEvents, runAuditIntegrityCheck } from "./audit-viewer";

const OTHER_SUBJECT = "0b7e1d0e-5a3b-4c2d-9e8f-0123456789cd";
const dirs: string[] = [];

afterAll(async () => {
  for (const d of dirs) await fs.rm(d, { recursive: true, force: true });
});

async function world() {
  const db = await createTestDatabase();
  const auditor = await seedStaffMember(db.prisma, { roles: ["AUDITOR"] });
  const admin = await seedStaffMember(db.prisma, { roles: ["ADMIN"] });
  const clerk = await seedStaffMember(db.prisma, { roles: ["CLERK", "SUPERVISOR", "PARTNER_OFFICER"] });
  await appendTestAuditEvents(db.prisma, 5);
  await db.prisma.$transaction(async (tx) => {
    await appendAuditEvent(tx, {
      type: "document.read",
      actor: { type: "partner", id: "partner-x" },
      subjectResidentId: OTHER_SUBJECT,
      channel: "api",
      purpose: '=HYPERLINK("http://evil")',
      data: { note: 'a,b\n"c"' },
    });
  });
  return { ...db, auditor, admin, clerk };
}

describe("audit viewer (staff console)", () => {
  it("refuses staff without AUDITOR or ADMIN, and inactive auditors", async () => {
    const w = await world();
    await expect(listAuditEvents(w.prisma, { staffId: w.clerk.id })).rejects.toMatchObject({
      code: "AUDIT_VIEWER_FORBIDDEN",
    });
    await expect(exportAuditEvents(w.prisma, { staffId: w.clerk.id })).rejects.toMatchObject({
      code: "AUDIT_VIEWER_FORBIDDEN",
    });
    await expect(runAuditIntegrityCheck(w.prisma, { staffId: w.clerk.id, anchors: null })).rejects.toMatchObject({
      code: "AUDIT_VIEWER_FORBIDDEN",
    });
    await w.prisma.staffMember.update({ where: { id: w.auditor.id }, data: { active: false } });
    await expect(listAuditEvents(w.prisma, { staffId: w.auditor.id })).rejects.toMatchObject({
      code: "AUDIT_VIEWER_FORBIDDEN",
    });
    // Nothing was appended by a refusal.
    expect(await w.prisma.auditEvent.count()).toBe(6);
    await w.prisma.$disconnect();
  });

  it("filters, pages newest first by seq without overlap, and audits each view", async () => {
    const w = await world();
    const first = await listAuditEvents(w.prisma, {
      staffId: w.auditor.id,
      filter: { type: "resident.record_read", subjectResidentId: TEST_SUBJECT },
      limit: 2,
    });
    expect(first.items.map((e) => e.seq)).toEqual(["5", "4"]);
    expect(first.nextCursor).toBe("4");
    // A view is appended meanwhile: keyset paging by seq is not shifted by it.
    const second = await listAuditEvents(w.prisma, {
      staffId: w.auditor.id,
      filter: { type: "resident.record_read", subjectResidentId: TEST_SUBJECT },
      cursor: first.nextCursor!,
      limit: 2,
    });
    expect(second.items.map((e) => e.seq)).toEqual(["3", "2"]);
    const third = await listAuditEvents(w.prisma, {
      staffId: w.auditor.id,
      filter: { type: "resident.record_read", subjectResidentId: TEST_SUBJECT },
      cursor: second.nextCursor!,
      limit: 2,
    });
    expect(third.items.map((e) => e.seq)).toEqual(["1"]);
    expect(third.nextCursor).toBeNull();

    const byChannel = await listAuditEvents(w.prisma, { staffId: w.admin.id, filter: { channel: "api" } });
    expect(byChannel.items.map((e) => e.type)).toEqual(["document.read"]);
    const byActor = await listAuditEvents(w.prisma, {
      staffId: w.admin.id,
      filter: { actorType: "staff", actorId: "staff-3" },
    });
    expect(byActor.items.map((e) => e.seq)).toEqual(["4"]);
    const future = await listAuditEvents(w.prisma, {
      staffId: w.admin.id,
      filter: { from: new Date(Date.now() + 86_400_000) },
    });
    expect(future.items).toEqual([]);
    const past = await listAuditEvents(w.prisma, { staffId: w.admin.id, filter: { to: new Date(0) } });
    expect(past.items).toEqual([]);

    const views = await w.prisma.auditEvent.findMany({ where: { type: "audit.log_viewed" }, orderBy: { seq: "asc" } });
    expect(views).toHaveLength(7);
    expect(views[0]).toMatchObject({
      actorType: "staff",
      actorId: w.auditor.id,
      subjectResidentId: TEST_SUBJECT,
      channel: "console",
      data: { count: 2, firstSeq: "5", lastSeq: "4", filter: { type: "resident.record_read" } },
    });
    expect(views[1]!.data).toMatchObject({ cursor: "4" });
    await w.prisma.$disconnect();
  });

  it("refuses a malformed cursor or filter before reading", async () => {
    const w = await world();
    await expect(listAuditEvents(w.prisma, { staffId: w.auditor.id, cursor: "-1" })).rejects.toThrow();
    await expect(
      listAuditEvents(w.prisma, { staffId: w.auditor.id, filter: { type: "no.such_type" as never } }),
    ).rejects.toThrow();
    expect(await w.prisma.auditEvent.count()).toBe(6);
    await w.prisma.$disconnect();
  });

  it("exports the filtered events as CSV with every column, defused cells, and audits the export", async () => {
    const w = await world();
    const out = await exportAuditEvents(w.prisma, { staffId: w.auditor.id, filter: { channel: "api" } });
    expect(out.body.startsWith("\uFEFF")).toBe(true);
    const rows = parse(out.body.slice(1), { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([...AUDIT_CSV_COLUMNS]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ seq: "6", type: "document.read", actorId: "partner-x", channel: "api" });
    expect(rows[0]!.purpose).toBe('\'=HYPERLINK("http://evil")');
    expect(JSON.parse(rows[0]!.data!)).toEqual({ note: 'a,b\n"c"' });
    const stored = await w.prisma.auditEvent.findUniqueOrThrow({ where: { seq: 6n } });
    expect(rows[0]!.hash).toBe(stored.hash);
    expect(out.count).toBe(1);

    const all = await exportAuditEvents(w.prisma, { staffId: w.admin.id });
    // Oldest first; the first export's own audit row is part of the second one.
    const allRows = parse(all.body.slice(1), { columns: true }) as Record<string, string>[];
    expect(allRows.map((r) => r.seq)).toEqual(["1", "2", "3", "4", "5", "6", "7"]);
    expect(allRows[6]).toMatchObject({ type: "audit.exported", actorId: w.auditor.id });

    const exported = await w.prisma.auditEvent.findMany({ where: { type: "audit.exported" }, orderBy: { seq: "asc" } });
    expect(exported.map((e) => e.data)).toEqual([
      { scope: "staff", format: "csv", filter: { channel: "api" }, count: 1, truncated: false },
      { scope: "staff", format: "csv", filter: {}, count: 7, truncated: false },
    ]);
    await w.prisma.$disconnect();
  });

  it("verifies the chain and the anchors, and reports the first broken seq of a tampered row", async () => {
    const w = await world();
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "ichimai-viewer-"));
    dirs.push(dir);
    const anchors = { file: path.join(dir, "anchors.jsonl"), key: Buffer.alloc(32, 7) };
    await writeAuditAnchor(w.prisma, anchors);

    const good = await runAuditIntegrityCheck(w.prisma, { staffId: w.auditor.id, anchors, batchSize: 2 });
    expect(good.chain).toMatchObject({ ok: true, count: 6n });
    expect(good.anchors).toEqual({ verified: 1, latestSeq: 6n, problems: [] });

    await tamperAuditEvents(w.url, `UPDATE "AuditEvent" SET purpose = 'edited' WHERE seq = 3`);
    const bad = await runAuditIntegrityCheck(w.prisma, { staffId: w.admin.id, anchors, batchSize: 2 });
    expect(bad.chain).toEqual({ ok: false, count: 2n, brokenSeq: 3n, reason: "hash_mismatch" });
    expect(bad.anchors).toBeNull();

    const checks = await w.prisma.auditEvent.findMany({
      where: { type: "audit.chain_verified" },
      orderBy: { seq: "asc" },
    });
    expect(checks.map((c) => c.data)).toEqual([
      {
        ok: true,
        count: "6",
        headHash: (good.chain as { headHash: string }).headHash,
        anchorsVerified: 1,
        anchorProblems: 0,
      },
      { ok: false, count: "2", brokenSeq: "3", reason: "hash_mismatch" },
    ]);
    await w.prisma.$disconnect();
  });
});
