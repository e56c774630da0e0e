import type { PrismaClient } from "../db/client";

/** What disaster functions need: the database and (for tests and benches) the clock. */
export type TDisasterContext = { prisma: PrismaClient; now?: () => Date };

export function disasterNow(ctx: TDisasterContext): Date {
  return ctx.now ? ctx.now() : new Date();
}
