import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../../generated/prisma/client";

export type { PrismaClient } from "../../generated/prisma/client";
export { Prisma } from "../../generated/prisma/client";

/** A Prisma client on PostgreSQL at `connectionString` (the runtime builds the process's one; tests and scripts their own). */
export function createPrismaClient(connectionString: string): PrismaClient {
  return new PrismaClient({
    adapter: new PrismaPg({ connectionString }),
    // Audited writes serialise on the audit chain's head, so under load a transaction may wait for
    // a pooled connection longer than Prisma's 2 s default: wait up to 10 s rather than fail.
    transactionOptions: { maxWait: 10_000, timeout: 15_000 },
  });
}
