import type { PrismaClient } from "./prisma";
import { getRuntime } from "../runtime/runtime";

export type { PrismaClient } from "./prisma";
export { createPrismaClient, Prisma } from "./prisma";

/** The one Prisma client of this process (PostgreSQL started and migrated first): a view over getRuntime(). */
export function getDb(): Promise<PrismaClient> {
  return getRuntime().db();
}
