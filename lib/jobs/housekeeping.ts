import { purgeExpiredChallenges } from "../auth/challenge";
import type { PrismaClient } from "../db/client";
import { pruneApiUsage } from "../partners/api-usage";
import { pruneRateLimitCounters } from "../rate-limit/fixed-window";

export type THousekeepingResult = { challenges: number; rateLimitCounters: number; partnerApiUsage: number };

/**
 * Deletes what has outlived its use: login challenges expired over a day ago, rate-limit
 * counters whose window started over a day ago (every window in use is shorter), partner API
 * usage older than 90 days (the usage view shows at most 31). Idempotent and cheap on indexed
 * columns, so every jobs process may run it.
 */
export async function runHousekeeping(prisma: PrismaClient, now = new Date()): Promise<THousekeepingResult> {
  return {
    challenges: await purgeExpiredChallenges(prisma, now),
    rateLimitCounters: await pruneRateLimitCounters(prisma, { now }),
    partnerApiUsage: await pruneApiUsage(prisma, { now }),
  };
}

/** Runs `runHousekeeping` now and every `intervalMs` (default 10 minutes); a failed run is logged. */
export function startHousekeeping(
  getPrisma: () => Promise<PrismaClient>,
  options: { intervalMs?: number } = {},
): { stop: () => void } {
  const run = async () => {
    try {
      await runHousekeeping(await getPrisma());
    } catch (err) {
      console.error("[housekeeping] run failed", err);
    }
  };
  void run();
  const timer = setInterval(() => void run(), options.intervalMs ?? 10 * 60_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
