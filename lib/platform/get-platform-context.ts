/**
 * The process-wide platform context from the environment (lib/env.ts): the JPKI signing roots and
 * OCSP responder certificates published by the (simulated) J-LIS under JLIS_DATA_DIR, and J-LIS
 * at JLIS_BASE_URL with this platform's registered-verifier credentials (JPKI.md §3).
 */
import { auditAnchorConfig } from "../audit/audit-anchor";
import { secretsEncryptionKeys } from "../crypto/secret-box";
import { getDb } from "../db/client";
import { databaseReady } from "../db/connection";
import { env } from "../env";
import { DEV_VERIFIERS, resolveJlisService } from "../jlis/service";
import { createLog, errorFields } from "../log/logger";
import { startPlatformJobs, type TPlatformJobs } from "./jobs/start-platform-jobs";
import { createPlatformJlis, DEFAULT_WEBHOOK_SETTINGS, type TPlatformContext } from "./platform-context";

const g = globalThis as unknown as {
  __ichimaiPlatform?: Promise<TPlatformContext>;
  __ichimaiPlatformJobs?: Promise<TPlatformJobs>;
};

async function buildContext(): Promise<TPlatformContext> {
  const { config, anchors, service } = await resolveJlisService(DEV_VERIFIERS.platform);
  const secretsKeys = secretsEncryptionKeys(config);
  return {
    prisma: await getDb(),
    signTrustAnchors: anchors.sign,
    jlis: createPlatformJlis(service),
    webhooks: {
      ...DEFAULT_WEBHOOK_SETTINGS,
      allowHttp: config.PLATFORM_WEBHOOK_ALLOW_HTTP || config.NODE_ENV !== "production",
      allowPrivateAddresses:
        config.PLATFORM_WEBHOOK_ALLOW_PRIVATE || config.PLATFORM_WEBHOOK_ALLOW_HTTP || config.NODE_ENV !== "production",
      secretsKey: secretsKeys.key,
      previousSecretsKeys: secretsKeys.previousKeys,
    },
    eligibility: { authTrustAnchors: anchors.auth, origin: new URL(config.PORTAL_ORIGIN).origin },
  };
}

/**
 * The platform context of this process. Kept once signing roots were found; while the simulator
 * is not initialized (no roots) it is rebuilt per call, so `npm run jpki -- init` is picked up.
 */
export function getPlatformContext(): Promise<TPlatformContext> {
  const cached = g.__ichimaiPlatform;
  if (cached) return cached;
  g.__ichimaiPlatform = buildContext().then(
    (ctx) => {
      if (ctx.signTrustAnchors.length === 0) g.__ichimaiPlatform = undefined;
      return ctx;
    },
    (e) => {
      g.__ichimaiPlatform = undefined;
      throw e;
    },
  );
  return g.__ichimaiPlatform;
}

/**
 * Starts the platform's pg-boss workers and schedules once per process (call from the server's
 * start-up, e.g. Next's instrumentation `register()` or scripts/dev.ts).
 */
export function startPlatformJobsFromEnv(): Promise<TPlatformJobs> {
  g.__ichimaiPlatformJobs ??= (async () => {
    const { url } = await databaseReady();
    return startPlatformJobs(await getPlatformContext(), {
      connectionString: url,
      changeCheckCron: env().PLATFORM_CHANGE_CHECK_CRON,
      auditAnchors: auditAnchorConfig(),
      onError: (err) => createLog("platform/jobs").error(errorFields(err), "job queue error"),
    });
  })();
  return g.__ichimaiPlatformJobs;
}

/** The `TApiDeps` of the /api/v1 partner wrapper, bound to a platform context getter. */
export function platformApiDeps(getContext: () => Promise<TPlatformContext>): {
  getPrisma: () => Promise<TPlatformContext["prisma"]>;
  getTrustAnchors: () => Promise<Uint8Array[]>;
  getContext: () => Promise<TPlatformContext>;
  now?: () => Date;
} {
  return {
    getPrisma: async () => (await getContext()).prisma,
    getTrustAnchors: async () => (await getContext()).signTrustAnchors,
    getContext,
  };
}
