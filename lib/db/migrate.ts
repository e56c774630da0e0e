import { randomUUID } from "node:crypto";
import { sha256Hex } from "../crypto/sha256";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { AppError } from "../errors/app-error";

/** Prisma's advisory lock id for migrations (schema-engine sql-schema-connector). */
const PRISMA_MIGRATION_LOCK = 72707369;

/** The exact DDL Prisma uses for its bookkeeping table (postgres.rs, create_migrations_table). */
const MIGRATIONS_TABLE_DDL = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

/** SHA-256 of migration.sql, lower-case hex: Prisma's checksum (checksum.rs). */
export function migrationChecksum(script: string): string {
  return sha256Hex(script);
}

/** Prisma accepts a checksum of the script with either line ending (git autocrlf). */
function checksumMatches(stored: string, script: string): boolean {
  const variants = [script, script.replace(/\r\n/g, "\n"), script.replace(/(?<!\r)\n/g, "\r\n")];
  return variants.some((v) => migrationChecksum(v) === stored);
}

export type MigrationFile = { name: string; script: string };

export async function readMigrations(dir: string): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory() && existsSync(path.join(dir, e.name, "migration.sql")))
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => ({ name, script: await readFile(path.join(dir, name, "migration.sql"), "utf8") })),
  );
}

export type MigrateResult = { applied: string[]; alreadyApplied: string[] };

export type MigrateOptions = {
  /** Called after each migration's commit: those before a failure stay applied. */
  onApplied?: (name: string) => void;
};

/**
 * Apply pending migrations the way `prisma migrate deploy` records them, so Prisma accepts the state.
 * Each migration runs in its own transaction, so a failure leaves neither half a schema nor a row.
 */
export async function migrate(
  connectionString: string,
  migrationsDir: string,
  options: MigrateOptions = {},
): Promise<MigrateResult> {
  const migrations = await readMigrations(migrationsDir);
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATION_LOCK]);
    await client.query(MIGRATIONS_TABLE_DDL);
    const { rows } = await client.query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      rolled_back_at: Date | null;
    }>(`SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`);
    const failed = rows.filter((r) => r.finished_at === null && r.rolled_back_at === null);
    if (failed.length > 0) {
      throw new AppError("MIGRATION_FAILED", {
        message: `Migration ${failed.map((r) => r.migration_name).join(", ")} failed earlier and blocks the others. Fix the cause, then mark it rolled back.`,
      });
    }
    const applied = new Map(rows.filter((r) => r.rolled_back_at === null).map((r) => [r.migration_name, r.checksum]));
    const result: MigrateResult = { applied: [], alreadyApplied: [] };
    for (const m of migrations) {
      const stored = applied.get(m.name);
      if (stored !== undefined) {
        if (!checksumMatches(stored, m.script)) {
          throw new AppError("MIGRATION_CHECKSUM_MISMATCH", {
            message: `Migration ${m.name} was edited after it was applied. Write a new migration instead.`,
          });
        }
        result.alreadyApplied.push(m.name);
        continue;
      }
      await client.query("BEGIN");
      try {
        const id = randomUUID();
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, started_at, migration_name) VALUES ($1, $2, now(), $3)`,
          [id, migrationChecksum(m.script), m.name],
        );
        await client.query(m.script);
        await client.query(
          `UPDATE "_prisma_migrations" SET applied_steps_count = applied_steps_count + 1, finished_at = clock_timestamp() WHERE id = $1`,
          [id],
        );
        await client.query("COMMIT");
      } catch (cause) {
        await client.query("ROLLBACK");
        throw new AppError("MIGRATION_FAILED", {
          message: `Migration ${m.name} failed: ${(cause as Error).message}`,
          cause,
        });
      }
      result.applied.push(m.name);
      options.onApplied?.(m.name);
    }
    return result;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_MIGRATION_LOCK]).catch(() => {});
    await client.end();
  }
}
