import type { PrismaClient } from "../db/client";
import { fixedWindow, rateLimitedError, retryAfterSeconds } from "../rate-limit/fixed-window";

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
/** Japan Standard Time (no daylight saving): days in the usage view are JST days. */
const JST_OFFSET_MS = 9 * HOUR_MS;

export type TApiRequestCount = { count: number; limit: number; windowStart: Date; resetAt: Date };

/**
 * Counts one partner API request and enforces the credential's per-minute limit: one atomic
 * upsert (INSERT … ON CONFLICT DO UPDATE … RETURNING) into PartnerApiUsage(credentialId, minute),
 * so every app server shares the same fixed one-minute window and the same table is the usage
 * log. Every authenticated request counts, also one refused here; above the limit it throws
 * RATE_LIMITED with `retryAfterSeconds` (the rest of the minute). Window arithmetic and the refusal
 * are shared with the generic limiter (lib/rate-limit/fixed-window.ts).
 */
export async function recordApiRequest(
  prisma: PrismaClient,
  options: { credentialId: string; limitPerMinute: number; now?: Date },
): Promise<TApiRequestCount> {
  const now = options.now ?? new Date();
  const { windowStart, resetAt } = fixedWindow(now, MINUTE_MS);
  // The column is timestamp(3) without time zone holding UTC (Prisma's convention): pass the ISO
  // string, whose "Z" a cast to timestamp ignores, so the session time zone cannot shift it.
  const rows = await prisma.$queryRaw<{ count: number }[]>`
    INSERT INTO "PartnerApiUsage" ("credentialId", "windowStart", "count")
    VALUES (${options.credentialId}::uuid, ${windowStart.toISOString()}::timestamp, 1)
    ON CONFLICT ("credentialId", "windowStart") DO UPDATE SET "count" = "PartnerApiUsage"."count" + 1
    RETURNING "count"`;
  const count = Number(rows[0]?.count ?? 1);
  if (count > options.limitPerMinute) {
    throw rateLimitedError({
      limitPerMinute: options.limitPerMinute,
      retryAfterSeconds: retryAfterSeconds(now, resetAt),
    });
  }
  return { count, limit: options.limitPerMinute, windowStart, resetAt };
}

export type TUsageBucket = { credentialId: string; clientId: string; start: Date; count: number };

export type TPartnerApiUsage = {
  /** Start of the period (inclusive) and now. */
  from: Date;
  to: Date;
  /** Requests per credential per hour (UTC hour starts), oldest first; hours without requests are absent. */
  hourly: TUsageBucket[];
  /** Requests per credential per JST day (start = 00:00 JST as a Date), oldest first. */
  daily: TUsageBucket[];
  /** Total per credential over the period. */
  totals: { credentialId: string; clientId: string; mode: "TEST" | "LIVE"; count: number }[];
};

/** The partner's API usage over the last `days` (default 7) days, by hour and by JST day. */
export async function getPartnerApiUsage(
  prisma: PrismaClient,
  options: { partnerId: string; days?: number; now?: Date },
): Promise<TPartnerApiUsage> {
  const now = options.now ?? new Date();
  const days = Math.min(Math.max(options.days ?? 7, 1), 31);
  // From 00:00 JST `days - 1` days ago, so the first day is whole.
  const todayJst = Math.floor((now.getTime() + JST_OFFSET_MS) / (24 * HOUR_MS)) * 24 * HOUR_MS - JST_OFFSET_MS;
  const from = new Date(todayJst - (days - 1) * 24 * HOUR_MS);
  const rows = await prisma.$queryRaw<
    { credentialId: string; clientId: string; mode: "TEST" | "LIVE"; hour: Date; count: number }[]
  >`
    SELECT u."credentialId"::text AS "credentialId", c."clientId", c."mode"::text AS "mode",
           date_trunc('hour', u."windowStart") AS "hour", SUM(u."count")::int AS "count"
    FROM "PartnerApiUsage" u JOIN "PartnerCredential" c ON c."id" = u."credentialId"
    WHERE c."partnerId" = ${options.partnerId}::uuid
      AND u."windowStart" >= ${from.toISOString()}::timestamp
      AND u."windowStart" <= ${now.toISOString()}::timestamp
    GROUP BY 1, 2, 3, 4
    ORDER BY 4, 2`;
  const hourly = rows.map((r) => ({
    credentialId: r.credentialId,
    clientId: r.clientId,
    start: r.hour,
    count: r.count,
  }));
  const dayMap = new Map<string, TUsageBucket>();
  const totalMap = new Map<string, TPartnerApiUsage["totals"][number]>();
  for (const r of rows) {
    const day = new Date(
      Math.floor((r.hour.getTime() + JST_OFFSET_MS) / (24 * HOUR_MS)) * 24 * HOUR_MS - JST_OFFSET_MS,
    );
    const key = `${r.credentialId}|${day.getTime()}`;
    const d = dayMap.get(key) ?? { credentialId: r.credentialId, clientId: r.clientId, start: day, count: 0 };
    d.count += r.count;
    dayMap.set(key, d);
    const t = totalMap.get(r.credentialId) ?? {
      credentialId: r.credentialId,
      clientId: r.clientId,
      mode: r.mode,
      count: 0,
    };
    t.count += r.count;
    totalMap.set(r.credentialId, t);
  }
  const daily = [...dayMap.values()].sort(
    (a, b) => a.start.getTime() - b.start.getTime() || a.clientId.localeCompare(b.clientId),
  );
  const totals = [...totalMap.values()].sort((a, b) => b.count - a.count || a.clientId.localeCompare(b.clientId));
  return { from, to: now, hourly, daily, totals };
}

/** Deletes usage rows older than `keepDays` (default 90); for a periodic job. Returns the count. */
export async function pruneApiUsage(prisma: PrismaClient, options: { keepDays?: number; now?: Date } = {}) {
  const cutoff = new Date((options.now ?? new Date()).getTime() - (options.keepDays ?? 90) * 24 * HOUR_MS);
  const { count } = await prisma.partnerApiUsage.deleteMany({ where: { windowStart: { lt: cutoff } } });
  return count;
}
