import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendTestAuditEvents } from "../test/audit/audit-chain-fixtures";
import { useTestDatabase } from "../test/db";
import { runTsxScript } from "../test/run-script";

/** The one-shot commands of the job runner, each on the process runtime built from its environment. */
describe("scripts/jobs.ts (npm run jobs -- <command>) takes its database and keys from the runtime", () => {
  const db = useTestDatabase();
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "ichimai-jobs-cli-"));
    env = { DATABASE_URL: db().url, AUDIT_ANCHOR_FILE: path.join(dir, "audit-anchors.jsonl") };
  });
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  it("audit-anchor writes an anchor of the head to AUDIT_ANCHOR_FILE", async () => {
    await appendTestAuditEvents(db().prisma, 2);
    const r = await runTsxScript("scripts/jobs.ts", ["audit-anchor"], { env });
    expect(r.stdout).toMatch(/^\[jobs\] audit anchor \{"v":1,"seq":"2",/);
    expect(r.code).toBe(0);
    expect((await fs.readFile(env.AUDIT_ANCHOR_FILE!, "utf8")).trim().split("\n")).toHaveLength(1);
  });

  it("reseal-secrets and housekeeping run once and exit 0", async () => {
    const reseal = await runTsxScript("scripts/jobs.ts", ["reseal-secrets"], { env });
    expect(reseal.stdout).toContain("[jobs] re-sealed 0 webhook signing secret(s) under the current key");
    expect(reseal.stdout).toContain("0 under an earlier key, 0 legacy scrypt");
    expect(reseal.code).toBe(0);
    const housekeeping = await runTsxScript("scripts/jobs.ts", ["housekeeping"], { env });
    expect(housekeeping.stdout).toContain("[jobs] housekeeping deleted");
    expect(housekeeping.code).toBe(0);
  });
});
