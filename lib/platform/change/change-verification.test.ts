import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../errors/app-error";
import { useTestDatabase } from "../../../test/db";
import { verifyIdentity } from "../identity/verify-identity";
import { startPlatformJobs, type TPlatformJobs } from "../../jobs/start-platform-jobs";
import { signApplication, startPlatformWorld, type TPlatformWorld } from "../../../test/platform/platform-world";
import { startWebhookReceiver, type TWebhookReceiver } from "../../../test/platform/webhook-receiver";
import { listResidentNotices } from "../notices/list-resident-notices";
import { createWebhookEndpoint } from "../webhooks/create-webhook-endpoint";
import { cancelWatch } from "./cancel-watch";
import { createWatch } from "./create-watch";
import { getWatchOrThrow } from "./get-watch";
import { runChangeCheckCycle } from "./run-change-check-cycle";

const MOVED_TO = "徳島県一枚町栄町三丁目７番地";

describe("change verification (変更確認): CRL scan + OCSP on a pg-boss job, webhook to the partner, notice to the resident", () => {
  const db = useTestDatabase();
  let world: TPlatformWorld;
  let receiver: TWebhookReceiver;
  let jobs: TPlatformJobs | undefined;

  beforeAll(async () => {
    [world, receiver] = await Promise.all([startPlatformWorld(), startWebhookReceiver()]);
  });
  afterAll(async () => {
    await jobs?.stop();
    await Promise.all([world?.close(), receiver?.close()]);
  });

  it("[CHANGE][DONE]: an insurer verifies an application, the resident moves, one job cycle later the insurer's receiver has certificate.revoked with the successor link", async () => {
    const { prisma, url } = db();
    const ctx = world.context(prisma);
    const insurer = await world.partner(prisma, {
      name: "さくら生命保険株式会社",
      scopes: ["identity:verify", "identity:facts", "change:watch", "webhooks:manage"],
    });
    receiver.reset();
    const { secret } = await createWebhookEndpoint(ctx, {
      mode: "LIVE",
      partnerId: insurer.partnerId,
      request: { url: receiver.url },
    });
    receiver.setSecret(secret);
    const { resident, card } = await world.resident(prisma);
    await world.jlis.setConsent({ residentRef: resident.registryNumber, consent: true });

    const application = await signApplication(card.sign!, { kind: "insurance-contract", plan: "終身保険" });
    const verification = await verifyIdentity(ctx, {
      partner: insurer,
      request: { ...application, purpose: "保険契約の本人確認" },
    });
    const { watch, created } = await createWatch(ctx, {
      partner: insurer,
      request: { verificationId: verification.id },
    });
    expect(created).toBe(true);
    expect((await createWatch(ctx, { partner: insurer, request: { verificationId: verification.id } })).created).toBe(
      false,
    );

    jobs = await startPlatformJobs(ctx, { connectionString: url, schedule: false, pollingIntervalSeconds: 0.5 });
    const quiet = await jobs.runChangeCheckNow();
    expect(quiet).toMatchObject({ watched: 1, crlHits: 0, events: [] });
    const checked = await getWatchOrThrow(ctx, { partnerId: insurer.partnerId, watchId: watch.id });
    expect(checked).toMatchObject({ status: "active" });
    expect(new Date(checked.lastCheckedAt!).getTime()).toBeGreaterThanOrEqual(new Date(watch.createdAt).getTime());

    // The resident moves: the registry change revokes the signing certificate (affiliationChanged).
    const moved = await world.jlis.changeFacts({ residentRef: resident.registryNumber, facts: { address: MOVED_TO } });
    const cycle = await jobs.runChangeCheckNow();
    expect(cycle).toMatchObject({ watched: 1, crlHits: 1, confirmed: 1 });
    expect(cycle.events).toHaveLength(1);

    const [got] = await receiver.waitFor(1);
    expect(got!.verified).toMatchObject({
      type: "certificate.revoked",
      data: {
        watchId: watch.id,
        verificationId: verification.id,
        certificate: { serialNumber: card.sign!.serial },
        reason: "affiliationChanged",
        source: "ocsp",
        factsMayHaveChanged: true,
        residentConsented: true,
        successor: { serialNumber: moved.sign!.serial, latestSerialNumber: moved.sign!.serial },
        latestFacts: { address: MOVED_TO, deceased: false },
      },
    });
    const revokedAt = new Date((got!.verified!.data as { revokedAt: string }).revokedAt);
    expect(Math.abs(revokedAt.getTime() - Date.now())).toBeLessThan(120_000);

    // The resident is told who was told, and the access log says so.
    const notices = await listResidentNotices(prisma, { residentId: resident.id });
    expect(notices).toHaveLength(1);
    expect(notices[0]!.body).toContain("さくら生命保険株式会社");
    expect(notices[0]!.data).toMatchObject({ partners: [{ partnerId: insurer.partnerId }], consented: true });
    const audit = await prisma.auditEvent.findMany({
      where: { subjectResidentId: resident.id, type: "certificate.status_changed" },
    });
    expect(audit).toHaveLength(1);

    // Idempotency: the next cycle finds nothing new, and the receiver got the event once.
    const after = await jobs.runChangeCheckNow();
    expect(after).toMatchObject({ watched: 0, events: [] });
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.received.filter((r) => r.id === got!.id)).toHaveLength(1);
    expect((await prisma.certificateWatch.findUniqueOrThrow({ where: { id: watch.id } })).status).toBe("REVOKED");

    // The same queue runs the daily housekeeping (lib/jobs/housekeeping.ts): an expired challenge goes.
    const stale = await prisma.loginChallenge.create({
      data: {
        nonce: "stale",
        bindingHash: "0",
        origin: "https://x",
        purpose: "login",
        expiresAt: new Date(Date.now() - 3 * 86_400_000),
      },
    });
    expect((await jobs.housekeepNow()).loginChallenges).toBeGreaterThanOrEqual(1);
    expect(await prisma.loginChallenge.findUnique({ where: { id: stale.id } })).toBeNull();
  });

  it("[CHANGE][CONSENT]: without the resident's consent the event has no successor and no facts; without identity:facts no facts", async () => {
    const { prisma } = db();
    const ctx = world.context(prisma);
    const bank = await world.partner(prisma, { kind: "BANK", scopes: ["identity:verify", "change:watch"] });
    const insurer = await world.partner(prisma, {
      scopes: ["identity:verify", "identity:facts", "change:watch"],
    });
    const shy = await world.resident(prisma);
    const open = await world.resident(prisma);
    await world.jlis.setConsent({ residentRef: open.resident.registryNumber, consent: true });
    const watchOf = async (p: typeof bank, card: typeof shy.card) => {
      const v = await verifyIdentity(ctx, {
        partner: p,
        request: { ...(await signApplication(card.sign!, { n: 1 })), purpose: "p" },
      });
      return (await createWatch(ctx, { partner: p, request: { verificationId: v.id } })).watch;
    };
    const shyWatch = await watchOf(insurer, shy.card);
    const bankWatch = await watchOf(bank, open.card);
    const insurerWatch = await watchOf(insurer, open.card);
    await world.jlis.changeFacts({ residentRef: shy.resident.registryNumber, facts: { address: MOVED_TO } });
    await world.jlis.reportLost({ residentRef: open.resident.registryNumber });
    const cycle = await runChangeCheckCycle(ctx);
    expect(cycle).toMatchObject({ crlHits: 2, confirmed: 2 });
    expect(cycle.events).toHaveLength(3);
    const events = await prisma.webhookEvent.findMany({ where: { id: { in: cycle.events } } });
    const dataOf = (watchId: string) =>
      events.map((e) => (e.payload as { data: Record<string, unknown> }).data).find((d) => d.watchId === watchId)!;
    expect(dataOf(shyWatch.id)).toMatchObject({ reason: "affiliationChanged", residentConsented: false });
    expect(dataOf(shyWatch.id)).not.toHaveProperty("successor");
    expect(dataOf(shyWatch.id)).not.toHaveProperty("latestFacts");
    // A lost card: keyCompromise, no successor yet; the bank has no identity:facts.
    expect(dataOf(bankWatch.id)).toMatchObject({
      reason: "keyCompromise",
      residentConsented: true,
      factsMayHaveChanged: false,
    });
    expect(dataOf(bankWatch.id)).not.toHaveProperty("latestFacts");
    expect(dataOf(insurerWatch.id)).toHaveProperty("latestFacts");
    // One notice for the resident whose certificate two partners watched, naming both.
    const notice = await prisma.residentNotice.findFirstOrThrow({ where: { residentId: open.resident.id } });
    expect((notice.data as { partners: unknown[] }).partners).toHaveLength(2);
  });

  it("[CHANGE][WATCH]: only a verified verification of the same partner can be watched; cancelled watches are not checked", async () => {
    const { prisma } = db();
    const ctx = world.context(prisma);
    const a = await world.partner(prisma, { scopes: ["identity:verify", "change:watch"] });
    const b = await world.partner(prisma, { scopes: ["identity:verify", "change:watch"] });
    const { resident, card } = await world.resident(prisma);
    const v = await verifyIdentity(ctx, {
      partner: a,
      request: { ...(await signApplication(card.sign!, { n: 2 })), purpose: "p" },
    });
    const code = async (p: Promise<unknown>) =>
      p.then(
        () => "resolved",
        (e: unknown) => (e instanceof AppError ? e.code : e),
      );
    expect(await code(createWatch(ctx, { partner: b, request: { verificationId: v.id } }))).toBe(
      "WATCH_VERIFICATION_INVALID",
    );
    const { watch } = await createWatch(ctx, { partner: a, request: { verificationId: v.id } });
    expect((await cancelWatch(ctx, { partnerId: a.partnerId, watchId: watch.id })).status).toBe("cancelled");
    expect(await code(cancelWatch(ctx, { partnerId: b.partnerId, watchId: watch.id }))).toBe("NOT_FOUND");
    await world.jlis.changeFacts({ residentRef: resident.registryNumber, facts: { address: MOVED_TO } });
    const cycle = await runChangeCheckCycle(ctx);
    expect(cycle.events).toHaveLength(0);
    expect((await prisma.certificateWatch.findUniqueOrThrow({ where: { id: watch.id } })).status).toBe("CANCELLED");
    // Re-registering re-activates it, and the next cycle reports the revocation.
    expect((await createWatch(ctx, { partner: a, request: { verificationId: v.id } })).watch.status).toBe("active");
    expect((await runChangeCheckCycle(ctx)).events).toHaveLength(1);
  });
});
