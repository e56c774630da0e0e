import { mkdtemp, mkdir, writeFile, appendFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { createEmptyDatabase } from "../../test/db";
import { MIGRATIONS_DIR } from "./connection";
import { migrate, migrationChecksum } from "./migrate";

async function rows(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(`SELECT * FROM "_prisma_migrations" ORDER BY migration_name`)).rows;
  } finally {
    await c.end();
  }
}

describe("migrator", () => {
  it("computes Prisma's checksum (SHA-256 hex of the script)", () => {
    expect(migrationChecksum("hello")).toBe("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
  });

  it("applies the project's migrations once and records them as Prisma does", async () => {
    const url = await createEmptyDatabase();
    const first = await migrate(url, MIGRATIONS_DIR);
    expect(first.applied.length).toBeGreaterThan(0);
    const second = await migrate(url, MIGRATIONS_DIR);
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toEqual(first.applied);
    const recorded = await rows(url);
    expect(recorded.map((r) => r.migration_name)).toEqual(first.applied);
    for (const r of recorded) {
      expect(r.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(r.finished_at).toBeInstanceOf(Date);
      expect(r.rolled_back_at).toBeNull();
      expect(r.applied_steps_count).toBe(1);
      expect(r.id).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("refuses an applied migration that was edited, and rolls back a failing one", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "mig-"));
    await mkdir(path.join(dir, "20200101000000_a"));
    await writeFile(path.join(dir, "20200101000000_a", "migration.sql"), "CREATE TABLE a (id int);\n");
    const url = await createEmptyDatabase();
    await migrate(url, dir);
    await appendFile(path.join(dir, "20200101000000_a", "migration.sql"), "-- edited\n");
    await expect(migrate(url, dir)).rejects.toMatchObject({ code: "MIGRATION_CHECKSUM_MISMATCH" });

    const dir2 = await mkdtemp(path.join(os.tmpdir(), "mig-"));
    await mkdir(path.join(dir2, "20200101000000_bad"));
    await writeFile(path.join(dir2, "20200101000000_bad", "migration.sql"), "CREATE TABLE b (id int);\nSELECT nope;\n");
    const url2 = await createEmptyDatabase();
    await expect(migrate(url2, dir2)).rejects.toMatchObject({ code: "MIGRATION_FAILED" });
    expect(await rows(url2)).toEqual([]);
  });

  it("keeps the audit log append-only", async () => {
    const url = await createEmptyDatabase();
    await migrate(url, MIGRATIONS_DIR);
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(
        `INSERT INTO "AuditEvent" (seq, id, type, "actorType", "prevHash", hash) VALUES (1, gen_random_uuid(), 't', 'system', '0', 'h1')`,
      );
      await expect(c.query(`UPDATE "AuditEvent" SET type = 'x'`)).rejects.toThrow(/append-only/);
      await expect(c.query(`DELETE FROM "AuditEvent"`)).rejects.toThrow(/append-only/);
    } finally {
      await c.end();
    }
  });
});
