import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../../test/db";
import { fixedWindow, hitRateLimit, pruneRateLimitCounters, refundRateLimit, retryAfterSeconds } from "./fixed-window";

const MINUTE = 60_000;
const rule = { limit: 3, windowMs: MINUTE };

describe("fixed-window rate limit (PostgreSQL)", () => {
  const db = useTestDatabase();

  it("aligns windows to the epoch and rounds Retry-After up to whole seconds, at least 1", () => {
    const now = new Date("2026-12-01T10:00:59.001Z");
    expect(fixedWindow(now, MINUTE)).toEqual({
      windowStart: new Date("2026-12-01T10:00:00Z"),
      resetAt: new Date("2026-12-01T10:01:00Z"),
    });
    expect(retryAfterSeconds(now, new Date("2026-12-01T10:01:00Z"))).toBe(1);
    expect(retryAfterSeconds(new Date("2026-12-01T10:00:00Z"), new Date("2026-12-01T10:01:00Z"))).toBe(60);
    expect(retryAfterSeconds(new Date("2026-12-01T10:01:00Z"), new Date("2026-12-01T10:01:00Z"))).toBe(1);
  });

  it("allows `limit` hits in a window, refuses the next up to the last millisecond, and allows again in the next window", async () => {
    const key = "boundary";
    const t0 = new Date("2026-12-01T10:00:00.000Z");
    const hit = (at: Date) => hitRateLimit(db().prisma, { bucket: "test", key, rule, now: at });
    for (let i = 1; i <= 3; i++) {
      const h = await hit(new Date(t0.getTime() + i * 1000));
      expect(h).toMatchObject({ allowed: true, count: i, limit: 3 });
    }
    const refused = await hit(new Date(t0.getTime() + 20_000));
    expect(refused).toMatchObject({ allowed: false, count: 4, retryAfterSeconds: 40 });
    expect(refused.resetAt).toEqual(new Date("2026-12-01T10:01:00Z"));
    expect(await hit(new Date(t0.getTime() + MINUTE - 1))).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    const next = await hit(new Date(t0.getTime() + MINUTE));
    expect(next).toMatchObject({ allowed: true, count: 1, retryAfterSeconds: 60 });
    expect(next.windowStart).toEqual(new Date("2026-12-01T10:01:00Z"));
  });

  it("keeps buckets and keys apart", async () => {
    const now = new Date("2026-12-01T11:00:00Z");
    for (let i = 0; i < 3; i++) await hitRateLimit(db().prisma, { bucket: "a", key: "k", rule, now });
    expect((await hitRateLimit(db().prisma, { bucket: "a", key: "k", rule, now })).allowed).toBe(false);
    expect((await hitRateLimit(db().prisma, { bucket: "b", key: "k", rule, now })).allowed).toBe(true);
    expect((await hitRateLimit(db().prisma, { bucket: "a", key: "other", rule, now })).allowed).toBe(true);
  });

  it("20 parallel hits never exceed the limit by a race: exactly `limit` are allowed, counts 1…20", async () => {
    const now = new Date("2026-12-01T12:00:00Z");
    const hits = await Promise.all(
      Array.from({ length: 20 }, () =>
        hitRateLimit(db().prisma, { bucket: "race", key: "k", rule: { limit: 5, windowMs: MINUTE }, now }),
      ),
    );
    expect(hits.filter((h) => h.allowed)).toHaveLength(5);
    expect(hits.map((h) => h.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it("refunds one hit in the window it was counted in, never below zero", async () => {
    const now = new Date("2026-12-01T13:00:00Z");
    const h = await hitRateLimit(db().prisma, { bucket: "refund", key: "k", rule, now });
    await refundRateLimit(db().prisma, { bucket: "refund", key: "k", windowStart: h.windowStart });
    await refundRateLimit(db().prisma, { bucket: "refund", key: "k", windowStart: h.windowStart });
    expect((await hitRateLimit(db().prisma, { bucket: "refund", key: "k", rule, now })).count).toBe(1);
  });

  it("stores only hashed keys and prunes counters older than a day", async () => {
    const old = new Date("2026-11-01T00:00:00Z");
    await hitRateLimit(db().prisma, { bucket: "prune", key: "203.0.113.9", rule, now: old });
    const fresh = new Date("2026-12-01T14:00:00Z");
    await hitRateLimit(db().prisma, { bucket: "prune", key: "203.0.113.9", rule, now: fresh });
    const rows = await db().prisma.rateLimitCounter.findMany({ where: { bucket: "prune" } });
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.keyHash))).toBe(true);
    expect(await pruneRateLimitCounters(db().prisma, { now: fresh })).toBeGreaterThanOrEqual(1);
    const left = await db().prisma.rateLimitCounter.findMany({ where: { bucket: "prune" } });
    expect(left.map((r) => r.windowStart)).toEqual([new Date("2026-12-01T14:00:00Z")]);
  });
});
