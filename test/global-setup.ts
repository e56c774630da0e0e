import { rm } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../lib/db/embedded";
import { migrate } from "../lib/db/migrate";

/**
 * One PostgreSQL for the whole vitest run (embedded, or TEST_DATABASE_URL's server), with a
 * migrated template database; each test file clones its own database from it (test/db.ts).
 */
export default async function setup(project: TestProject) {
  let adminUrl = process.env.TEST_DATABASE_URL;
  let stop = async () => {};
  if (!adminUrl) {
    // A cluster of this run's own (directory and port), so parallel runs never meet.
    const dataDir = path.resolve(`.data/test-pg-${process.pid}`);
    await rm(dataDir, { recursive: true, force: true });
    const handle = await startEmbeddedPostgres({ dataDir, port: await freePort() });
    adminUrl = handle.url.replace(/\/app$/, "/postgres");
    stop = async () => {
      await handle.stop();
      await rm(dataDir, { recursive: true, force: true });
    };
  }
  const template = `ichimai_template_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${template}`);
  await admin.query(`CREATE DATABASE ${template}`);
  await admin.end();
  await migrate(withDatabase(adminUrl, template), path.resolve("prisma/migrations"));
  project.provide("testDbAdminUrl", adminUrl);
  project.provide("testDbTemplate", template);
  return async () => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    const { rows } = await c.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 'ichimai_t_%' OR datname = $1`,
      [template],
    );
    for (const r of rows) await c.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
    await c.end();
    await stop();
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

declare module "vitest" {
  export interface ProvidedContext {
    testDbAdminUrl: string;
    testDbTemplate: string;
  }
}
