import type { PrismaClient } from "../db/client";

/** What lib/reports needs: the database and a clock (tests pass their own). */
export type TReportsContext = { prisma: PrismaClient; now?: () => Date };

export const reportsNow = (ctx: TReportsContext): Date => ctx.now?.() ?? new Date();
