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
  return new PrismaClient({
    adapter: new PrismaPg({ connectionString }),
    // Audited writes serialise on the audit chain's head, so under load a transaction may wait for
    // a pooled connection longer than Prisma's 2 s default: wait up to 10 s rather than fail.
    transactionOptions: { maxWait: 10_000, timeout: 15_000 },
  });
}
