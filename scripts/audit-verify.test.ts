import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { appendTestAuditEvents, rewriteAuditChainFrom, tamperAuditEvents } from "../test/audit/audit-chain-fixtures";
import { createTestDatabase, type TestDatabase } from "../test/db";
import { runTsxScript } from "../test/run-script";

const dirs: string[] = [];
const databases: TestDatabase[] = [];

/** A database of its own and an anchor file of its own for one test. */
async function scriptWorld(): Promise<TestDatabase & { env: Record<string, string> }> {
  const db = await createTestDatabase();
  databases.push(db);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "ichimai-audit-verify-"));
  dirs.push(dir);
  return { ...db, env: { DATABASE_URL: db.url, AUDIT_ANCHOR_FILE: path.join(dir, "audit-anchors.jsonl") } };
}

afterAll(async () => {
  for (const db of databases) await db.prisma.$disconnect();
  for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
});

describe("scripts/audit-verify.ts (npm run audit:verify)", () => {
  it("prints OK with the count and the anchors, then the broken seq with exit code 1 after an edit", async () => {
    const { prisma, url, env } = await scriptWorld();
    await appendTestAuditEvents(prisma, 5);
    const ok = await runTsxScript("scripts/audit-verify.ts", [], { env });
    expect(ok.stdout).toMatch(/^OK: 5 events, head [0-9a-f]{64}\nanchors: 0 verified, latest seq none\n$/);
    expect(ok.code).toBe(0);

    await tamperAuditEvents(url, `UPDATE "AuditEvent" SET "actorId" = 'someone-else' WHERE seq = 3`);
    const broken = await runTsxScript("scripts/audit-verify.ts", [], { env });
    expect(broken.stdout).toMatch(/^BROKEN at seq 3 \(hash_mismatch\)/);
    expect(broken.stdout).toContain("2 events before it verify");
    expect(broken.code).toBe(1);
  });

  it("an anchor from npm run jobs -- audit-anchor catches a chain re-hashed to its end, exit code 1", async () => {
    const { prisma, url, env } = await scriptWorld();
    await appendTestAuditEvents(prisma, 4);
    const job = await runTsxScript("scripts/jobs.ts", ["audit-anchor"], { env });
    expect(job.code).toBe(0);
    expect(job.stdout).toMatch(/\[jobs\] audit anchor \{"v":1,"seq":"4",/);

    const ok = await runTsxScript("scripts/audit-verify.ts", [], { env });
    expect(ok.stdout).toMatch(/^OK: 4 events, head [0-9a-f]{64}\nanchors: 1 verified, latest seq 4\n$/);
    expect(ok.code).toBe(0);

    await rewriteAuditChainFrom(prisma, url, 2n);
    const rehashed = await runTsxScript("scripts/audit-verify.ts", [], { env });
    expect(rehashed.stdout).toMatch(/^OK: 4 events, head [0-9a-f]{64}\n/);
    expect(rehashed.stdout).toContain('ANCHOR BROKEN at line 1: {"line":1,"reason":"hash_mismatch","seq":"4"}');
    expect(rehashed.stdout).toContain("anchors: 0 verified, latest seq none");
    expect(rehashed.code).toBe(1);
  });
});
