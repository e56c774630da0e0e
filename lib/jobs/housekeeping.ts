import { purgeExpiredChallenges } from "../auth/challenge";
import type { PrismaClient } from "../db/client";
import { DEFAULT_HEARTBEAT_RETENTION_DAYS, pruneSetTopBoxHeartbeats } from "../disaster/set-top-box";
import { pruneDeliveryFailures } from "../mailbox/delivery-failures";
import { pruneApiUsage } from "../partners/api-usage";
import { purgeExpiredOidcPayloads } from "../oidc/adapter";
import { pruneRateLimitCounters } from "../rate-limit/fixed-window";

const DAY_MS = 86_400_000;

/**
 * How long ichimai keeps rows that only serve operations (not the resident's record). The
 * mailbox, the audit log, consents, shares and proxy grants are never pruned here.
 */
export const RETENTION_DAYS = {
  /** Login challenges and cross-device logins: one day after they expired (5-minute life). */
  loginChallenges: 1,
  /** Card-login rate-limit counters (lib/rate-limit): one day, longer than any window in use. */
  rateLimitCounters: 1,
  /** Partner API usage counters (console usage page, rate limits): 90 days; the page shows ≤ 31. */
  apiUsage: 90,
  /** Refused deliveries shown to the partner as "failed" (GET /api/v1/delivery-failures): 90 days. */
  deliveryFailures: 90,
  /** E-mails sent, skipped or given up (resident id + document type): 30 days. Pending ones stay. */
  notificationOutbox: 30,
  /** Set-top-box activity (lib/disaster/set-top-box.ts): 14 days; SET_TOP_BOX_HEARTBEAT_RETENTION_DAYS overrides it. */
  setTopBoxHeartbeats: DEFAULT_HEARTBEAT_RETENTION_DAYS,
} as const;

export type THousekeepingResult = {
  loginChallenges: number;
  crossDeviceLogins: number;
  rateLimitCounters: number;
  apiUsage: number;
  deliveryFailures: number;
  notificationOutbox: number;
  setTopBoxHeartbeats: number;
  /** Single sign-on protocol state (codes, tokens, sessions, interactions) expired over a day ago. */
  oidcPayloads: number;
};

/**
 * Deletes what has outlived its {@link RETENTION_DAYS}. Idempotent and safe to run on several
 * servers at once (plain DELETEs by age). Scheduled daily by the platform jobs
 * (lib/jobs/start-platform-jobs.ts); `npm run jobs -- housekeeping` runs it once.
 */
export async function runHousekeeping(
  prisma: PrismaClient,
  now = new Date(),
  options: { setTopBoxHeartbeatDays?: number } = {},
): Promise<THousekeepingResult> {
  const before = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const loginChallenges = await purgeExpiredChallenges(prisma, now);
  const crossDeviceLogins = (
    await prisma.crossDeviceLogin.deleteMany({ where: { expiresAt: { lt: before(RETENTION_DAYS.loginChallenges) } } })
  ).count;
  const rateLimitCounters = await pruneRateLimitCounters(prisma, {
    now,
    keepMs: RETENTION_DAYS.rateLimitCounters * DAY_MS,
  });
  const apiUsage = await pruneApiUsage(prisma, { keepDays: RETENTION_DAYS.apiUsage, now });
  const deliveryFailures = await pruneDeliveryFailures(prisma, { keepDays: RETENTION_DAYS.deliveryFailures, now });
  const notificationOutbox = (
    await prisma.notificationOutbox.deleteMany({
      where: {
        status: { in: ["sent", "skipped", "dead"] },
        createdAt: { lt: before(RETENTION_DAYS.notificationOutbox) },
      },
    })
  ).count;
  const setTopBoxHeartbeats = await pruneSetTopBoxHeartbeats(
    { prisma, now: () => now },
    { keepDays: options.setTopBoxHeartbeatDays ?? RETENTION_DAYS.setTopBoxHeartbeats },
  );
  const oidcPayloads = await purgeExpiredOidcPayloads(prisma, now);
  return {
    loginChallenges,
    crossDeviceLogins,
    rateLimitCounters,
    apiUsage,
    deliveryFailures,
    notificationOutbox,
    setTopBoxHeartbeats,
    oidcPayloads,
  };
}
