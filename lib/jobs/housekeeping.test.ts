import { describe, expect, it } from "vitest";
import { issueChallenge, newBinding } from "../auth/challenge";
import { hitRateLimit } from "../rate-limit/fixed-window";
import { useTestDatabase } from "../test/db";
import { runHousekeeping } from "./housekeeping";

describe("housekeeping", () => {
  const db = useTestDatabase();

  it("deletes challenges expired over a day ago and rate-limit counters older than a day, keeps the rest", async () => {
    const { prisma } = db();
    const now = new Date("2026-12-02T12:00:00Z");
    const old = new Date("2026-11-30T12:00:00Z");
    const binding = newBinding();
    await issueChallenge(prisma, { binding, origin: "http://localhost:3000", now: old, limits: null });
    const fresh = await issueChallenge(prisma, { binding, origin: "http://localhost:3000", now, limits: null });
    const rule = { limit: 5, windowMs: 60_000 };
    await hitRateLimit(prisma, { bucket: "login.challenge.ip", key: "198.51.100.1", rule, now: old });
    await hitRateLimit(prisma, { bucket: "login.challenge.ip", key: "198.51.100.1", rule, now });

    expect(await runHousekeeping(prisma, now)).toEqual({ challenges: 1, rateLimitCounters: 1, partnerApiUsage: 0 });
    expect((await prisma.loginChallenge.findMany()).map((c) => c.nonce)).toEqual([fresh.nonce]);
    expect((await prisma.rateLimitCounter.findMany()).map((c) => c.windowStart)).toEqual([now]);
  });
});
