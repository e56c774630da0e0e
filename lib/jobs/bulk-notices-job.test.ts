import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedPartner, seedResident, seedStaffMember } from "../../prisma/seed/factories";
import { useTestDatabase } from "../../test/db";
import { createTestPartnerCa, issueOrgSigner } from "../../test/mailbox/mailbox-world";
import { startPlatformWorld, type TPlatformWorld } from "../../test/platform/platform-world";
import type { TBulkNoticesContext } from "../bulk-notices/context";
import { createNoticeBatch } from "../bulk-notices/create-notice-batch";
import { createNoticeQueueSender } from "../bulk-notices/notice-queue";
import { getNoticeBatch } from "../bulk-notices/read-notice-batches";
import { PLATFORM_QUEUES, startPlatformJobs, type TPlatformJobs } from "./start-platform-jobs";

describe("the bulk-notice job on the platform's queue", () => {
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

  it("is swept every minute, runs a batch the app queued, and its answer counts the lines", async () => {
    const { prisma, url } = db();
    const town = await seedPartner(prisma, { slug: "ichimai-town", name: "一枚町役場", kind: "GOVERNMENT" });
    const ca = await createTestPartnerCa();
    const signer = await issueOrgSigner(ca, town);
    const ctx: TBulkNoticesContext = {
      prisma,
      issuerTrustAnchors: async () => [ca.certificate],
      townSigner: async () => ({ partnerSlug: town.slug, municipality: "徳島県一枚町", ...signer }),
    };
    const resident = await seedResident(prisma);
    const clerk = await seedStaffMember(prisma, { roles: ["CLERK"] });
    jobs = await startPlatformJobs(world.context(prisma), {
      connectionString: url,
      bulkNotices: ctx,
      changeCheckCron: "0 0 1 1 *",
      dispatchCron: "0 0 1 1 *",
      housekeepingCron: "0 0 1 1 *",
      pollingIntervalSeconds: 0.5,
    });
    const schedules = await jobs.boss.getSchedules();
    expect(schedules.find((s) => s.name === PLATFORM_QUEUES.bulkNotices)).toMatchObject({ cron: "* * * * *" });

    // The app's side: a send-only client queues the batch; the worker above runs it.
    const sender = await createNoticeQueueSender(url);
    const staff = { staffId: clerk.id, roles: clerk.roles };
    try {
      const { batchId } = await createNoticeBatch(
        { ...ctx, enqueue: (id) => sender.send(id) },
        {
          staff,
          notice: { title: "お知らせ", body: "本文" },
          fileName: "n.csv",
          csv: new TextEncoder().encode(`registryNumber\n${resident.registryNumber}\nNOBODY-1\n`),
          encoding: "utf-8",
        },
      );
      for (let i = 0; i < 200; i++) {
        if ((await getNoticeBatch(prisma, { staff, batchId })).finished) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(await getNoticeBatch(prisma, { staff, batchId })).toMatchObject({
        status: "COMPLETED",
        delivered: 1,
        refused: 1,
        percent: 100,
      });
      // Queued again by hand: the batch is done, the job has nothing to do.
      expect(await jobs.runNoticeBatchNow(batchId)).toEqual([{ ran: false }]);
    } finally {
      await sender.stop();
    }
  });
});
