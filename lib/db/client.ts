import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../../generated/prisma/client";
import { databaseReady } from "./connection";

export type { PrismaClient } from "../../generated/prisma/client";
export { Prisma } from "../../generated/prisma/client";

const g = globalThis as unknown as { __ichimaiPrisma?: Promise<PrismaClient> };

/** The one Prisma client of this process (PostgreSQL started and migrated first). */
export function getDb(): Promise<PrismaClient> {
  g.__ichimaiPrisma ??= databaseReady()
    .then(({ url }) => createPrismaClient(url))
    .catch((e) => {
      g.__ichimaiPrisma = undefined;
      throw e;
    });
  return g.__ichimaiPrisma;
}

export function createPrismaClient(connectionString: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString }) });
}
