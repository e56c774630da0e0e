import { execFile } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { appendAuditEvent } from "../lib/audit/append-audit-event";
import { useTestDatabase } from "../lib/test/db";

const TSX = path.resolve("node_modules/.bin/tsx");

function runAuditVerify(databaseUrl: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      TSX,
      ["scripts/audit-verify.ts"],
      { env: { ...process.env, DATABASE_URL: databaseUrl }, timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

describe("scripts/audit-verify.ts", () => {
  const db = useTestDatabase();

  it("prints OK with the count, then the broken seq with exit code 1 after tampering", async () => {
    const { prisma, url } = db();
    for (let i = 0; i < 5; i++) {
      await prisma.$transaction((tx) =>
        appendAuditEvent(tx, { type: "system.job_run", actor: { type: "system", id: "test" }, data: { i } }),
      );
    }
    const ok = await runAuditVerify(url);
    expect(ok.stdout).toMatch(/^OK: 5 events, head [0-9a-f]{64}\n$/);
    expect(ok.code).toBe(0);

    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_append_only"`);
    await c.query(`UPDATE "AuditEvent" SET "actorId" = 'someone-else' WHERE seq = 3`);
    await c.end();

    const broken = await runAuditVerify(url);
    expect(broken.stdout).toMatch(/^BROKEN at seq 3 \(hash_mismatch\)/);
    expect(broken.stdout).toContain("2 events before it verify");
    expect(broken.code).toBe(1);
  });
});
