import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../../test/db";
import { getCardLoginContext } from "../auth/card-login-context";
import { getDb } from "../db/client";
import { parseEnv } from "../env";
import { startPlatformJobsFromRuntime } from "../jobs/start-background-jobs";
import { getIssuerTrustAnchors, issuerCrlUrl } from "../mailbox/issuer-trust";
import { getNotificationWorker } from "../notifications/smtp-transport";
import { getPlatformContext } from "../platform/get-platform-context";
import { createRuntime, getRuntime } from "./runtime";

describe("the runtime (lib/runtime): one composition root for the web process, the jobs and the CLIs", () => {
  const db = useTestDatabase();
  let dir: string;
  const KEYS = ["DATABASE_URL", "JLIS_DATA_DIR", "PARTNER_CA_DIR", "SMTP_URL"] as const;
  const saved = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "ichimai-runtime-"));
    // Read once per process by env(); nothing in this file has read it yet.
    process.env.DATABASE_URL = db().url;
    process.env.JLIS_DATA_DIR = path.join(dir, "jlis");
    process.env.PARTNER_CA_DIR = path.join(dir, "partner-ca");
    delete process.env.SMTP_URL;
  });
  afterAll(async () => {
    await getRuntime().close();
    for (const k of KEYS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    await rm(dir, { recursive: true, force: true });
  });

  it("is built once per process, and the getters are views over the same database client", async () => {
    const runtime = getRuntime();
    expect(getRuntime()).toBe(runtime);
    expect((globalThis as { __ichimaiRuntime?: unknown }).__ichimaiRuntime).toBe(runtime);
    expect(runtime.config.DATABASE_URL).toBe(db().url);

    const prisma = await getDb();
    expect(await runtime.db()).toBe(prisma);
    expect(await prisma.$queryRaw`SELECT 1 AS one`).toEqual([{ one: 1 }]);
    expect((await getCardLoginContext()).db).toBe(prisma);
    expect((await getPlatformContext()).prisma).toBe(prisma);
    expect(await runtime.database()).toEqual({ url: db().url, embedded: false });

    expect(await getIssuerTrustAnchors()).toEqual([]);
    expect(issuerCrlUrl()).toBe(`${new URL(runtime.config.PORTAL_ORIGIN).origin}/partner-ca/crl`);
    expect(getNotificationWorker(getDb)).toBeUndefined();
    expect(runtime.once("x", () => ({}))).toBe(runtime.once("x", () => ({})));
  });

  it("rebuilds the card-login and platform contexts while J-LIS has published no roots, and keeps them after", async () => {
    const first = await getCardLoginContext();
    expect(first.authTrustAnchors).toEqual([]);
    expect(await getCardLoginContext()).not.toBe(first);
    const platform = await getPlatformContext();
    expect(await getPlatformContext()).not.toBe(platform);

    // What `npm run jpki -- init` leaves in JLIS_DATA_DIR (the bytes are not parsed when building).
    const ca = path.join(dir, "jlis", "ca");
    await mkdir(ca, { recursive: true });
    await writeFile(path.join(ca, "production-auth-1.cer"), Buffer.from([1, 2, 3]));
    await writeFile(path.join(ca, "production-sign-1.cer"), Buffer.from([4, 5, 6]));
    const kept = await getCardLoginContext();
    expect(kept.authTrustAnchors).toHaveLength(1);
    expect(await getCardLoginContext()).toBe(kept);
    const keptPlatform = await getPlatformContext();
    expect(keptPlatform.signTrustAnchors).toHaveLength(1);
    expect(await getPlatformContext()).toBe(keptPlatform);
    expect(keptPlatform.prisma).toBe(kept.db);
  });

  it("builds a runtime of its own from an explicit configuration (a CLI), with its own database client", async () => {
    const key = Buffer.alloc(32, 9).toString("base64");
    const runtime = createRuntime({
      config: parseEnv({
        NODE_ENV: "test",
        DATABASE_URL: db().url,
        SECRETS_ENCRYPTION_KEY: key,
        PORTAL_ORIGIN: "http://localhost:3999",
        PARTNER_CA_DIR: path.join(dir, "cli-partner-ca"),
        AUDIT_ANCHOR_FILE: path.join(dir, "anchors.jsonl"),
      }),
      now: () => new Date("2026-04-01T00:00:00Z"),
    });
    try {
      expect(runtime).not.toBe(getRuntime());
      const prisma = await runtime.db();
      expect(prisma).not.toBe(await getDb());
      expect(await prisma.$queryRaw`SELECT 2 AS two`).toEqual([{ two: 2 }]);
      expect(runtime.secretsKeys().key.toString("base64")).toBe(key);
      expect(runtime.auditAnchors()).toMatchObject({ file: path.join(dir, "anchors.jsonl") });
      expect(runtime.issuerTrust.crlUrl).toBe("http://localhost:3999/partner-ca/crl");
      expect(runtime.mailer.transport()).toBeUndefined();
      const platform = await runtime.platform();
      expect(platform.prisma).toBe(prisma);
      expect(platform.webhooks.secretsKey).toEqual(Buffer.from(key, "base64"));
      expect(platform.now?.().toISOString()).toBe("2026-04-01T00:00:00.000Z");

      // The job runner starts its workers once per runtime.
      const jobs = startPlatformJobsFromRuntime(runtime);
      expect(startPlatformJobsFromRuntime(runtime)).toBe(jobs);
      await (await jobs).stop();
    } finally {
      await runtime.close();
    }
  });
});
