import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, inject } from "vitest";
import { createPrismaClient, type PrismaClient } from "../lib/db/client";
import { withDatabase } from "./global-setup";

export type TestDatabase = { url: string; prisma: PrismaClient; adminUrl: string };

/** A fresh, migrated database of this test file's own (cloned from the run's template). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject("testDbAdminUrl");
  const template = inject("testDbTemplate");
  const name = `ichimai_t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  await admin.end();
  const url = withDatabase(adminUrl, name);
  return { url, prisma: createPrismaClient(url), adminUrl };
}

/** Empty database (not migrated), for migrator tests. */
export async function createEmptyDatabase(): Promise<string> {
  const adminUrl = inject("testDbAdminUrl");
  const name = `ichimai_t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return withDatabase(adminUrl, name);
}

/** beforeAll/afterAll wiring: `const db = useTestDatabase();` then `db().prisma` inside tests. */
export function useTestDatabase(): () => TestDatabase {
  let current: TestDatabase | undefined;
  beforeAll(async () => {
    current = await createTestDatabase();
  });
  afterAll(async () => {
    await current?.prisma.$disconnect();
  });
  return () => {
    if (!current) throw new Error("useTestDatabase(): the database is created in beforeAll");
    return current;
  };
}
