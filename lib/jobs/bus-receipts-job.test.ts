import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../../test/db";
import { createTestPartnerCa, issueOrgSigner } from "../../test/mailbox/mailbox-world";
import { startPlatformWorld, type TPlatformWorld } from "../../test/platform/platform-world";
import { createBusWorld } from "../../test/services/bus-world";
import { purchaseBusTicket } from "../services/bus/purchase-ticket";
import { registerBusOperatorSigner } from "../services/bus/ride-receipts";
import { takeBusRide } from "../services/bus/take-ride";
import { PLATFORM_QUEUES, startPlatformJobs, type TPlatformJobs } from "./start-platform-jobs";

describe("the bus receipt job on the platform's queue", () => {
  const db = useTestDatabase();
  let world: TPlatformWorld;
  let jobs: TPlatformJobs | undefined;

  beforeAll(async () => {
    world = await startPlatformWorld();
  });
  afterAll(async () => {
    await jobs?.stop();
    await world?.close();
  });

  it("is scheduled, and delivers the receipt of a charged ride that has none", async () => {
    const { prisma, url } = db();
    const w = await createBusWorld(prisma, "bus-rcpt-job");
    const at = new Date("2026-11-20T00:12:00Z");
    const ca = await createTestPartnerCa(at);
    const signer = await issueOrgSigner(ca, w.operator, at);
    const secretsKey = randomBytes(32);
    const bus = {
      prisma,
      now: () => at,
      trustAnchors: async () => [ca.certificate],
      secretsKeys: () => ({ key: secretsKey, previousKeys: [] }),
    };
    await registerBusOperatorSigner(bus, {
      partnerId: w.operator.id,
      certificate: signer.certificate,
      privateKeyPkcs8: new Uint8Array(await crypto.subtle.exportKey("pkcs8", signer.privateKey)),
    });
    const r = await w.linkedResident();
    await purchaseBusTicket(bus, {
      residentId: r.id,
      partnerId: w.operator.id,
      productCode: "BOOK-11",
      issuedBy: "resident",
    });
    const ride = await takeBusRide(bus, {
      partnerId: w.operator.id,
      residentId: r.id,
      deviceId: w.deviceId,
      tapKey: "t1",
    });

    jobs = await startPlatformJobs(world.context(prisma), {
      connectionString: url,
      busReceipts: bus,
      changeCheckCron: "0 0 1 1 *",
      dispatchCron: "0 0 1 1 *",
      housekeepingCron: "0 0 1 1 *",
      pollingIntervalSeconds: 0.5,
    });
    const schedules = await jobs.boss.getSchedules();
    expect(schedules.find((s) => s.name === PLATFORM_QUEUES.busReceipts)).toMatchObject({ cron: "*/15 * * * *" });

    expect(await jobs.deliverBusReceiptsNow()).toEqual({ delivered: 1, failed: 0 });
    expect(await jobs.deliverBusReceiptsNow()).toEqual({ delivered: 0, failed: 0 });
    const stored = await prisma.busRide.findUniqueOrThrow({ where: { id: ride.rideId } });
    const docs = await prisma.mailboxDocument.findMany({ where: { residentId: r.id, type: "bus-ride-receipt" } });
    expect(docs.map((d) => d.id)).toEqual([stored.receiptDocumentId]);
  });

  it("is not started without a bus context", async () => {
    const { prisma, url } = db();
    const bare = await startPlatformJobs(world.context(prisma), { connectionString: url, schedule: false });
    try {
      await expect(bare.deliverBusReceiptsNow()).rejects.toThrow(/bus receipt job was not started/);
    } finally {
      await bare.stop();
    }
  });
});
