import path from "node:path";
import pg from "pg";
import { env, resolveDataPath, type TEnv } from "../env";
import { AppError } from "../errors/app-error";
import { type EmbeddedPostgresHandle, startEmbeddedPostgres } from "./embedded";
import { migrate } from "./migrate";

export const MIGRATIONS_DIR = path.resolve(/*turbopackIgnore: true*/ process.cwd(), "prisma/migrations");

export type TDatabaseReady = { url: string; embedded: boolean };

const g = globalThis as unknown as { __ichimaiDbReady?: Promise<TDatabaseReady> };

/**
 * The database URL, once PostgreSQL is running and migrated. Lazy, once per process (kept on
 * globalThis so dev hot reloads share it).
 */
export function databaseReady(config: TEnv = env()): Promise<TDatabaseReady> {
  g.__ichimaiDbReady ??= prepareDatabase(config).catch((e) => {
    g.__ichimaiDbReady = undefined;
    throw e;
  });
  return g.__ichimaiDbReady;
}

/**
 * Starts (embedded) or reaches (DATABASE_URL) PostgreSQL and migrates it, every call; use
 * databaseReady() for the process's one, this for a runtime built from another configuration.
 */
export async function prepareDatabase(config: TEnv): Promise<TDatabaseReady> {
  const db = await connectDatabase(config);
  await migrate(db.url, MIGRATIONS_DIR);
  return { url: db.url, embedded: db.embedded !== null };
}

/**
 * The PostgreSQL to use, not yet migrated: DATABASE_URL once it answers, or else the embedded
 * server under EMBEDDED_PG_DIR, started (or reused when one already runs on EMBEDDED_PG_PORT).
 * `embedded` is its handle (stop() stops it only if this call started it), null for DATABASE_URL.
 */
export async function connectDatabase(
  config: TEnv = env(),
): Promise<{ url: string; embedded: EmbeddedPostgresHandle | null }> {
  if (!config.DATABASE_URL) {
    const handle = await startEmbeddedPostgres({
      dataDir: resolveDataPath(config.EMBEDDED_PG_DIR),
      port: config.EMBEDDED_PG_PORT,
    });
    return { url: handle.url, embedded: handle };
  }
  await assertReachable(config.DATABASE_URL);
  return { url: config.DATABASE_URL, embedded: null };
}

async function assertReachable(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (cause) {
    const where = safeHost(url);
    throw new AppError("DATABASE_UNAVAILABLE", {
      message: `Cannot reach the PostgreSQL server at ${where} (${(cause as Error).message}). Fix: start that server or correct DATABASE_URL; unset DATABASE_URL to use the embedded database.`,
      cause,
    });
  } finally {
    await client.end().catch(() => {});
  }
}

/** `host:port/database` of a PostgreSQL URL, without the credentials, for messages. */
export function safeHost(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return "(unparseable DATABASE_URL)";
  }
}
