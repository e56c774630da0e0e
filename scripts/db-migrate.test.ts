import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { MIGRATIONS_DIR } from "../lib/db/connection";
import { createEmptyDatabase } from "../test/db";
import { withDatabase } from "../test/global-setup";
import { runTsxScript } from "../test/run-script";

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function query<R extends pg.QueryResultRow>(url: string, sql: string): Promise<R[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<R>(sql)).rows;
  } finally {
    await c.end();
  }
}

const recorded = async (url: string) =>
  (
    await query<{ migration_name: string }>(
      url,
      `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL ORDER BY 1`,
    )
  ).map((r) => r.migration_name);

const allMigrations = async () => (await readdir(MIGRATIONS_DIR)).filter((n) => /^\d{14}_/.test(n)).sort();

describe("scripts/db-migrate.ts (npm run db:migrate)", () => {
  it("applies every pending migration to DATABASE_URL and prints each, then finds nothing to apply", async () => {
    const url = await createEmptyDatabase();
    const names = await allMigrations();
    const first = await runTsxScript("scripts/db-migrate.ts", [], { env: { DATABASE_URL: url } });
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    const host = new URL(url);
    expect(first.stdout).toBe(
      [
        `Migrating ${host.hostname}:${host.port}${host.pathname}`,
        ...names.map((n) => `applied ${n}`),
        `${names.length} applied, 0 applied before.`,
        "",
      ].join("\n"),
    );
    expect(first.stdout).not.toContain(host.password);
    expect(await recorded(url)).toEqual(names);

    const again = await runTsxScript("scripts/db-migrate.ts", [], { env: { DATABASE_URL: url } });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`Nothing to apply: all ${names.length} migrations were applied before.`);
    expect(again.stdout).not.toContain("applied 2");
  });

  it("stops at a failing migration with exit code 1: the ones before it stay applied, it is rolled back", async () => {
    const url = await createEmptyDatabase();
    const [init, second] = await allMigrations();
    // The second migration creates LoginChallenge: a table of that name already there makes it fail.
    await query(url, `CREATE TABLE "LoginChallenge" (x int)`);
    const run = await runTsxScript("scripts/db-migrate.ts", [], { env: { DATABASE_URL: url } });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`applied ${init}\n`);
    expect(run.stdout).not.toContain(`applied ${second}`);
    expect(run.stderr).toContain(`✖ Migration ${second} failed: relation "LoginChallenge" already exists`);
    expect(await recorded(url)).toEqual([init]);
  });

  it("exits 1 with a readable message when DATABASE_URL does not answer", async () => {
    const run = await runTsxScript("scripts/db-migrate.ts", [], {
      env: { DATABASE_URL: "postgresql://nobody:secret@127.0.0.1:1/nothing" },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^✖ Cannot reach the PostgreSQL server at 127\.0\.0\.1:1\/nothing/);
    expect(run.stderr).not.toContain("secret");
  });

  // The embedded server is the test run's own cluster, reused on its port: the script migrates its
  // `app` database. Not with TEST_DATABASE_URL, whose server is not this run's to write `app` into.
  it.skipIf(Boolean(process.env.TEST_DATABASE_URL))(
    "without DATABASE_URL migrates the embedded PostgreSQL on EMBEDDED_PG_PORT",
    async () => {
      const port = new URL(inject("testDbAdminUrl")).port;
      const dir = await mkdtemp(path.join(os.tmpdir(), "ichimai-db-migrate-"));
      dirs.push(dir);
      const env = { DATABASE_URL: "", EMBEDDED_PG_PORT: port, EMBEDDED_PG_DIR: path.join(dir, "pg") };
      const run = await runTsxScript("scripts/db-migrate.ts", [], { env });
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^Migrating 127\\.0\\.0\\.1:${port}/app \\(embedded\\)\\n`));
      expect(await recorded(withDatabase(inject("testDbAdminUrl"), "app"))).toEqual(await allMigrations());
    },
  );
});
