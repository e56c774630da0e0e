/**
 * Fixed-window rate limiting in PostgreSQL, shared by every app server: a counter per (bucket,
 * key, window start) that one atomic statement (INSERT … ON CONFLICT DO UPDATE … RETURNING)
 * increments and reads, so N concurrent hits yield the counts 1…N and never two equal counts —
 * no read-then-write race. The partner API (lib/partners/api-usage.ts) uses the same window
 * arithmetic and refusal on its own table, which doubles as its usage log; everything else uses
 * RateLimitCounter here.
 *
 * A fixed window allows up to twice the limit across a window boundary (the end of one window
 * and the start of the next); the limits are chosen with that in mind.
 */
import { sha256Hex } from "../crypto/sha256";
import type { PrismaClient } from "../db/client";
import { AppError } from "../errors/app-error";

/** The window containing `now`: windows are aligned to the epoch, so every server agrees. */
export function fixedWindow(now: Date, windowMs: number): { windowStart: Date; resetAt: Date } {
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  return { windowStart, resetAt: new Date(windowStart.getTime() + windowMs) };
}

/** Whole seconds until `resetAt`, at least 1 (the value of a Retry-After header). */
export function retryAfterSeconds(now: Date, resetAt: Date): number {
  return Math.max(1, Math.ceil((resetAt.getTime() - now.getTime()) / 1000));
}

/** The one refusal: RATE_LIMITED (429) with `retryAfterSeconds`, which handlers send as Retry-After. */
export function rateLimitedError(details: { retryAfterSeconds: number } & Record<string, unknown>): AppError {
  return new AppError("RATE_LIMITED", { details });
}

export type TRateLimitRule = {
  /** Most hits allowed in one window. */
  limit: number;
  windowMs: number;
};

export type TRateLimitHit = {
  allowed: boolean;
  /** Hits in this window including this one (may exceed `limit`: refused hits count too). */
  count: number;
  limit: number;
  windowStart: Date;
  resetAt: Date;
  retryAfterSeconds: number;
};

/** SHA-256 (hex) of a key, so the table holds no raw addresses or certificate serials. */
export function rateLimitKeyHash(key: string): string {
  return sha256Hex(key);
}

/**
 * Counts one hit of `key` in `bucket` and says whether it is within `rule`. Never throws for a
 * refusal (callers decide, e.g. to audit first); a refused hit still counts, which in a fixed
 * window changes nothing but the statistics.
 */
export async function hitRateLimit(
  db: PrismaClient,
  o: { bucket: string; key: string; rule: TRateLimitRule; now?: Date },
): Promise<TRateLimitHit> {
  const now = o.now ?? new Date();
  const { windowStart, resetAt } = fixedWindow(now, o.rule.windowMs);
  // timestamp(3) without time zone holding UTC (Prisma's convention): pass the ISO string, whose
  // "Z" a cast to timestamp ignores, so the session time zone cannot shift it.
  const rows = await db.$queryRaw<{ count: number }[]>`
    INSERT INTO "RateLimitCounter" ("bucket", "keyHash", "windowStart", "count")
    VALUES (${o.bucket}, ${rateLimitKeyHash(o.key)}, ${windowStart.toISOString()}::timestamp, 1)
    ON CONFLICT ("bucket", "keyHash", "windowStart")
      DO UPDATE SET "count" = "RateLimitCounter"."count" + 1
    RETURNING "count"`;
  const count = Number(rows[0]?.count ?? 1);
  return {
    allowed: count <= o.rule.limit,
    count,
    limit: o.rule.limit,
    windowStart,
    resetAt,
    retryAfterSeconds: retryAfterSeconds(now, resetAt),
  };
}

/**
 * Takes back one hit counted by `hitRateLimit` in the window it was counted in (a reservation that
 * turned out not to count, e.g. a login that succeeded). Never below zero.
 */
export async function refundRateLimit(
  db: PrismaClient,
  o: { bucket: string; key: string; windowStart: Date },
): Promise<void> {
  await db.$executeRaw`
    UPDATE "RateLimitCounter" SET "count" = GREATEST("count" - 1, 0)
    WHERE "bucket" = ${o.bucket} AND "keyHash" = ${rateLimitKeyHash(o.key)}
      AND "windowStart" = ${o.windowStart.toISOString()}::timestamp`;
}

/**
 * Deletes counters whose window started more than `keepMs` (default one day, longer than any
 * window in use) ago; for the housekeeping job. Returns the number of rows deleted.
 */
export async function pruneRateLimitCounters(
  db: PrismaClient,
  o: { now?: Date; keepMs?: number } = {},
): Promise<number> {
  const cutoff = new Date((o.now ?? new Date()).getTime() - (o.keepMs ?? 86_400_000));
  const { count } = await db.rateLimitCounter.deleteMany({ where: { windowStart: { lt: cutoff } } });
  return count;
}
