import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TAuditAnchorConfig, verifyAuditAnchors } from "../audit/audit-anchor";
import { appendTestAuditEvents } from "../../test/audit/audit-chain-fixtures";
import { useTestDatabase } from "../../test/db";
import { startPlatformWorld, type TPlatformWorld } from "../../test/platform/platform-world";
import { PLATFORM_QUEUES, startPlatformJobs, type TPlatformJobs } from "./start-platform-jobs";

describe("the hourly audit-anchor job on the platform's queue", () => {
  const db = useTestDatabase();
  let world: TPlatformWorld;
  let jobs: TPlatformJobs | undefined;
  let dir: string;

  beforeAll(async () => {
    world = await startPlatformWorld();
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "ichimai-anchor-job-"));
  });
  afterAll(async () => {
    await jobs?.stop();
    await world?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("is scheduled hourly, anchors the head through pg-boss, and writes nothing while the head is anchored", async () => {
    const { prisma, url } = db();
    const anchors: TAuditAnchorConfig = { file: path.join(dir, "audit-anchors.jsonl"), key: Buffer.alloc(32, 7) };
    // Crons far away, so no scheduled run of the other queues interferes; installing them is what is checked.
    jobs = await startPlatformJobs(world.context(prisma), {
      connectionString: url,
      auditAnchors: anchors,
      changeCheckCron: "0 0 1 1 *",
      dispatchCron: "0 0 1 1 *",
      housekeepingCron: "0 0 1 1 *",
      pollingIntervalSeconds: 0.5,
    });
    const schedules = await jobs.boss.getSchedules();
    expect(schedules.find((s) => s.name === PLATFORM_QUEUES.auditAnchor)).toMatchObject({ cron: "7 * * * *" });

    await appendTestAuditEvents(prisma, 3);
    const head = await prisma.auditEvent.findFirstOrThrow({ orderBy: { seq: "desc" } });
    const anchor = await jobs.anchorAuditNow();
    expect(anchor).toMatchObject({ v: 1, seq: head.seq.toString(), hash: head.hash });
    expect(await jobs.anchorAuditNow()).toBeNull();

    const lines = (await fs.readFile(anchors.file, "utf8")).trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(await verifyAuditAnchors(prisma, anchors)).toEqual({ verified: 1, latestSeq: head.seq, problems: [] });
  });

  it("is not started without an anchor configuration", async () => {
    const { prisma, url } = db();
    const bare = await startPlatformJobs(world.context(prisma), { connectionString: url, schedule: false });
    try {
      await expect(bare.anchorAuditNow()).rejects.toThrow(/audit-anchor job was not started/);
    } finally {
      await bare.stop();
    }
  });
});
