import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedHousehold, seedPartner, seedResident, seedStaffMember } from "../../prisma/seed/factories";
import { useTestDatabase } from "../../test/db";
import { startPlatformWorld, type TPlatformWorld } from "../../test/platform/platform-world";
import { issueOrder } from "../disaster/orders/orders";
import { PLATFORM_QUEUES, startPlatformJobs, type TPlatformJobs } from "./start-platform-jobs";

describe("the evacuation escalation job on the platform's queue", () => {
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

  it("is scheduled every minute and escalates an unread level-4 notice once", async () => {
    const { prisma, url } = db();
    jobs = await startPlatformJobs(world.context(prisma), {
      connectionString: url,
      changeCheckCron: "0 0 1 1 *",
      dispatchCron: "0 0 1 1 *",
      housekeepingCron: "0 0 1 1 *",
      evacuationEscalationCron: "0 0 1 1 *",
      pollingIntervalSeconds: 0.5,
    });
    const schedules = await jobs.boss.getSchedules();
    expect(schedules.find((s) => s.name === PLATFORM_QUEUES.evacuationEscalation)).toBeDefined();

    const officer = await seedStaffMember(prisma, { roles: ["DISASTER_OFFICER"] });
    const home = await seedHousehold(prisma);
    const resident = await seedResident(prisma, { householdId: home.id });
    const town = await seedPartner(prisma, { slug: "escalation-town", name: "一枚町役場", kind: "GOVERNMENT" });
    const { orderId } = await issueOrder(
      { prisma },
      {
        staff: { staffId: officer.id, roles: officer.roles },
        input: {
          district: home.districtId,
          hazard: "FLOOD",
          level: 4,
          message: "避難してください",
          escalateAfterMinutes: 15,
        },
      },
    );
    const doc = await prisma.mailboxDocument.create({
      data: {
        residentId: resident.id,
        issuerPartnerId: town.id,
        type: "evacuation-order",
        domain: "disaster",
        payload: {},
        payloadHash: "0".repeat(64),
        signature: new Uint8Array([1]),
        verificationReport: {},
        signatureValid: true,
        searchText: "",
      },
    });
    await prisma.evacuationNotice.create({
      data: {
        orderId,
        residentId: resident.id,
        level: 4,
        documentId: doc.id,
        deliveredAt: new Date(Date.now() - 30 * 60_000),
      },
    });
    expect(await jobs.escalateEvacuationNow()).toEqual({ escalated: 1 });
    expect(await jobs.escalateEvacuationNow()).toEqual({ escalated: 0 });
    const outbox = await prisma.notificationOutbox.findMany({ where: { residentId: resident.id } });
    expect(outbox.map((o) => [o.kind, o.issuerName])).toEqual([["evacuation_urgent", "一枚町役場"]]);
  });
});
