import type { PrismaClient } from "@/lib/db/client";
import type { TJlisClient } from "@/lib/jlis/client";
import { getRuntime } from "@/lib/runtime/runtime";

/** What the staff console's resident use cases take: the database and J-LIS (the registry's reports). */
export type TResidentsContext = {
  prisma: PrismaClient;
  /** J-LIS as the municipality reaches it: registry changes and events (revocation, successor links). */
  jlis: TJlisClient;
  now?: () => Date;
};

export function nowOf(ctx: Pick<TResidentsContext, "now">): Date {
  return ctx.now?.() ?? new Date();
}

/** The process's context, a view over the runtime's platform context. */
export async function getResidentsContext(): Promise<TResidentsContext> {
  const runtime = getRuntime();
  const platform = await runtime.platform();
  return { prisma: platform.prisma, jlis: platform.jlis, now: runtime.now };
}
