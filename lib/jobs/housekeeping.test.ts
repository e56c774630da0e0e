import { describe, expect, it } from "vitest";
import { seedPartner, seedPartnerCredential, seedResident } from "../../prisma/seed/factories";
import { issueChallenge } from "../auth/challenge";
import { recordDeliveryFailures } from "../mailbox/delivery-failures";
import { recordApiRequest } from "../partners/api-usage";
import { hitRateLimit } from "../rate-limit/fixed-window";
import { useTestDatabase } from "../../test/db";
import { RETENTION_DAYS, runHousekeeping } from "./housekeeping";

const DAY = 86_400_000;

describe("housekeeping", () => {
  const db = useTestDatabase();

  it("[JOBS][HOUSEKEEPING] deletes only what outlived its retention, and a second run deletes nothing", async () => {
    const { prisma } = db();
    const now = new Date("2026-12-03T03:17:00Z");
    const ago = (days: number) => new Date(now.getTime() - days * DAY);
    const partner = await seedPartner(prisma);
    const resident = await seedResident(prisma);
    const { credential } = await seedPartnerCredential(prisma, { partnerId: partner.id });

    // Challenges: issued 3 days ago (expired > 1 day) vs. 10 minutes ago.
    await issueChallenge(prisma, { binding: "old", origin: "https://x", now: ago(3), limits: null });
    await issueChallenge(prisma, {
      binding: "new",
      origin: "https://x",
      now: new Date(now.getTime() - 600_000),
      limits: null,
    });
    // Card-login rate-limit counters: a window of two days ago goes, the current one stays.
    const rule = { limit: 5, windowMs: 60_000 };
    await hitRateLimit(prisma, { bucket: "login.challenge.ip", key: "198.51.100.1", rule, now: ago(2) });
    await hitRateLimit(prisma, { bucket: "login.challenge.ip", key: "198.51.100.1", rule, now });
    await prisma.crossDeviceLogin.createMany({
      data: [
        { codeHash: "old", bindingHash: "b", confirmation: "1234", expiresAt: ago(2) },
        { codeHash: "new", bindingHash: "b", confirmation: "5678", expiresAt: new Date(now.getTime() + 300_000) },
      ],
    });
    // API usage and failures: just outside and just inside their windows.
    await recordApiRequest(prisma, {
      credentialId: credential.id,
      limitPerMinute: 100,
      now: ago(RETENTION_DAYS.apiUsage + 1),
    });
    await recordApiRequest(prisma, {
      credentialId: credential.id,
      limitPerMinute: 100,
      now: ago(RETENTION_DAYS.apiUsage - 1),
    });
    const failure = (createdAt: Date) => ({
      partnerId: partner.id,
      documentType: "notice",
      recipientPartnerRef: "REF-1",
      recipientRegistryNumber: null,
      errorCode: "RECIPIENT_NOT_LINKED" as const,
      httpStatus: 403,
      createdAt,
    });
    await recordDeliveryFailures(prisma, [
      failure(ago(RETENTION_DAYS.deliveryFailures + 1)),
      failure(ago(RETENTION_DAYS.deliveryFailures - 1)),
    ]);
    // Mail outbox: an old sent row goes; an old pending row (still to send) and a recent sent row stay.
    const mail = (status: string, createdAt: Date) => ({
      residentId: resident.id,
      documentType: "notice",
      issuerName: "一枚町役場",
      issuerNameEn: "Ichimai Town",
      status,
      createdAt,
    });
    await prisma.notificationOutbox.createMany({
      data: [
        mail("sent", ago(RETENTION_DAYS.notificationOutbox + 1)),
        mail("pending", ago(RETENTION_DAYS.notificationOutbox + 1)),
        mail("sent", ago(1)),
      ],
    });
    // Single sign-on state: one expired two days ago (purged), one still live.
    await prisma.oidcPayload.createMany({
      data: [
        { type: "AccessToken", id: "old", payload: {}, expiresAt: new Date(now.getTime() - 2 * 24 * 3600 * 1000) },
        { type: "AccessToken", id: "live", payload: {}, expiresAt: new Date(now.getTime() + 3600 * 1000) },
      ],
    });

    expect(await runHousekeeping(prisma, now)).toEqual({
      loginChallenges: 1,
      crossDeviceLogins: 1,
      rateLimitCounters: 1,
      apiUsage: 1,
      deliveryFailures: 1,
      notificationOutbox: 1,
      setTopBoxHeartbeats: 0,
      oidcPayloads: 1,
    });
    expect((await prisma.oidcPayload.findMany()).map((p) => p.id)).toEqual(["live"]);
    expect(await prisma.loginChallenge.count()).toBe(1);
    expect((await prisma.crossDeviceLogin.findMany()).map((c) => c.codeHash)).toEqual(["new"]);
    expect(await prisma.rateLimitCounter.count()).toBe(1);
    expect(await prisma.partnerApiUsage.count()).toBe(1);
    expect(await prisma.deliveryFailure.count()).toBe(1);
    expect((await prisma.notificationOutbox.findMany({ orderBy: { createdAt: "asc" } })).map((m) => m.status)).toEqual([
      "pending",
      "sent",
    ]);
    expect(Object.values(await runHousekeeping(prisma, now)).every((n) => n === 0)).toBe(true);
  });
});
