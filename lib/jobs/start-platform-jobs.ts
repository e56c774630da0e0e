import PgBoss from "pg-boss";
import { type TAuditAnchor, type TAuditAnchorConfig, writeAuditAnchor } from "../audit/audit-anchor";
import { createLog, errorFields } from "../log/logger";
import { runChangeCheckCycle, type TChangeCheckResult } from "../platform/change/run-change-check-cycle";
import { nowOf, type TPlatformContext } from "../platform/platform-context";
import { dispatchWebhookDeliveries } from "../platform/webhooks/dispatch-webhook-deliveries";
import { resealWebhookSecrets } from "../platform/webhooks/webhook-secret";
import type { TBusContext } from "../services/bus/bus-context";
import { deliverPendingBusReceipts } from "../services/bus/ride-receipts";
import type { TBulkNoticesContext } from "../bulk-notices/context";
import { BULK_NOTICE_QUEUE, BULK_NOTICE_QUEUE_OPTIONS } from "../bulk-notices/notice-queue";
import { dueNoticeBatches, runNoticeBatch, type TRunNoticeBatchResult } from "../bulk-notices/run-notice-batch";
import { escalateUnreadNotices, type TEscalationResult } from "../disaster/orders/escalate";
import { runHousekeeping, type THousekeepingResult } from "./housekeeping";

const log = createLog("platform/jobs");

/** pg-boss queue names of the platform. */
export const PLATFORM_QUEUES = {
  /** One change-check cycle (CRL scan + OCSP confirmation); singleton: cycles never overlap. */
  changeCheck: "platform-change-check",
  /** Drain due webhook deliveries; may run on every app server at once (SKIP LOCKED). */
  webhookDispatch: "platform-webhook-dispatch",
  /** Daily retention deletes (lib/jobs/housekeeping.ts); singleton. */
  housekeeping: "housekeeping",
  /** Hourly anchor of the audit chain's head in AUDIT_ANCHOR_FILE (lib/audit/audit-anchor.ts); singleton. */
  auditAnchor: "audit-anchor",
  /** Receipts of charged bus rides not yet in the mailbox (a delivery failed); singleton. */
  busReceipts: "bus-receipts",
  /** Bulk notices of the staff console (lib/bulk-notices): `{ batchId }` one batch, `{}` the minute's sweep. */
  bulkNotices: BULK_NOTICE_QUEUE,
  /** Evacuation notices unread past their order's minutes at level ≥ 4 (lib/disaster/orders/escalate.ts); singleton. */
  evacuationEscalation: "evacuation-escalation",
} as const;

export type StartPlatformJobsOptions = {
  /** PostgreSQL of the app; pg-boss keeps its tables in the `pgboss` schema there. */
  connectionString: string;
  /** Cron of the change check (default every 10 minutes; J-LIS CRLs are daily, OCSP same-day). */
  changeCheckCron?: string;
  /** Cron of the webhook sweeper that picks up retries whose backoff ran out (default every minute). */
  dispatchCron?: string;
  /** Cron of housekeeping (default daily at 03:17 UTC). */
  housekeepingCron?: string;
  /** Days set-top-box heartbeats are kept (default RETENTION_DAYS.setTopBoxHeartbeats, 14). */
  setTopBoxHeartbeatDays?: number;
  /**
   * Where and under which key the audit-anchor job writes (`auditAnchorConfig()` of
   * lib/audit/audit-anchor.ts). Unset: no anchor job on this process.
   */
  auditAnchors?: TAuditAnchorConfig;
  /** Cron of the audit anchor (default hourly at minute 7). */
  auditAnchorCron?: string;
  /**
   * The bus context (lib/services/bus) the receipt job delivers pending ride receipts with
   * (`deliverPendingBusReceipts`). Unset: no receipt job on this process.
   */
  busReceipts?: TBusContext;
  /** Cron of the bus receipt job (default every 15 minutes). */
  busReceiptsCron?: string;
  /**
   * The bulk-notice context (lib/bulk-notices) the notice job sends with. Unset: no notice job on
   * this process.
   */
  bulkNotices?: TBulkNoticesContext;
  /** Cron of the sweep that runs bulk notices whose queue message was lost (default every minute). */
  bulkNoticesCron?: string;
  /** Cron of the evacuation-notice escalation (default every minute). */
  evacuationEscalationCron?: string;
  /** Install the cron schedules (default true; tests trigger jobs by hand). */
  schedule?: boolean;
  /** Worker polling interval (pg-boss minimum 0.5 s; default 2 s). */
  pollingIntervalSeconds?: number;
  onError?: (err: unknown) => void;
};

export type TPlatformJobs = {
  boss: PgBoss;
  /** Queue one change-check cycle now and wait until its job (and the dispatch it triggers) finished. */
  runChangeCheckNow(timeoutMs?: number): Promise<TChangeCheckResult>;
  /** Queue a webhook dispatch now (e.g. after a partner replays from the console). */
  dispatchNow(): Promise<void>;
  /** Queue one housekeeping run now and wait for its counts. */
  housekeepNow(timeoutMs?: number): Promise<THousekeepingResult>;
  /** Queue one audit anchor now and wait for it (null: nothing new to anchor). Needs `auditAnchors`. */
  anchorAuditNow(timeoutMs?: number): Promise<TAuditAnchor | null>;
  /** Queue one delivery of pending bus ride receipts now and wait for its counts. Needs `busReceipts`. */
  deliverBusReceiptsNow(timeoutMs?: number): Promise<{ delivered: number; failed: number }>;
  /** Queue one bulk notice now and wait for its job. Needs `bulkNotices`. */
  runNoticeBatchNow(batchId: string, timeoutMs?: number): Promise<TRunNoticeBatchResult[]>;
  /** Queue one escalation run of unread evacuation notices now and wait for its count. */
  escalateEvacuationNow(timeoutMs?: number): Promise<TEscalationResult>;
  stop(): Promise<void>;
};

/**
 * The platform's background jobs on a PostgreSQL-backed queue (pg-boss 10, which supports Node
 * 20): the change-check cycle, webhook dispatch, the daily housekeeping and the hourly audit
 * anchor (written to this host's AUDIT_ANCHOR_FILE by whichever server takes the job). State lives only in
 * PostgreSQL — pg-boss's jobs, and the platform's own outbox (WebhookDelivery) — so any number of
 * app servers may run this, a crash loses nothing, and a cycle that dies is retried by pg-boss.
 */
export async function startPlatformJobs(
  ctx: TPlatformContext,
  options: StartPlatformJobsOptions,
): Promise<TPlatformJobs> {
  // Upgrade of rows from before encryption at rest, before key ids, or under a previous key
  // (key rotation); idempotent, so every start may run it.
  const resealed = await resealWebhookSecrets(ctx);
  if (resealed.resealed > 0) {
    log.info({ resealed: resealed.resealed }, "re-sealed webhook signing secrets under the current key");
  }
  if (resealed.unreadable.length > 0) {
    log.error(
      { code: "SECRET_UNREADABLE", count: resealed.unreadable.length, endpointIds: resealed.unreadable },
      "webhook signing secrets open with no configured key; is a key missing from SECRETS_ENCRYPTION_KEY_PREVIOUS?",
    );
  }
  const boss = new PgBoss({
    connectionString: options.connectionString,
    schema: "pgboss",
    max: 4,
    schedule: options.schedule ?? true,
    supervise: true,
  });
  boss.on("error", (err) => options.onError?.(err));
  await boss.start();
  await boss.createQueue(PLATFORM_QUEUES.changeCheck, {
    name: PLATFORM_QUEUES.changeCheck,
    policy: "singleton",
    retryLimit: 3,
    retryDelay: 60,
    retryBackoff: true,
    expireInSeconds: 30 * 60,
  });
  await boss.createQueue(PLATFORM_QUEUES.webhookDispatch, {
    name: PLATFORM_QUEUES.webhookDispatch,
    policy: "standard",
    retryLimit: 2,
    expireInSeconds: 5 * 60,
  });
  await boss.createQueue(PLATFORM_QUEUES.housekeeping, {
    name: PLATFORM_QUEUES.housekeeping,
    policy: "singleton",
    retryLimit: 3,
    retryDelay: 300,
    expireInSeconds: 30 * 60,
  });
  if (options.auditAnchors) {
    await boss.createQueue(PLATFORM_QUEUES.auditAnchor, {
      name: PLATFORM_QUEUES.auditAnchor,
      policy: "singleton",
      retryLimit: 3,
      retryDelay: 60,
      expireInSeconds: 10 * 60,
    });
  }
  if (options.busReceipts) {
    await boss.createQueue(PLATFORM_QUEUES.busReceipts, {
      name: PLATFORM_QUEUES.busReceipts,
      policy: "singleton",
      retryLimit: 3,
      retryDelay: 60,
      expireInSeconds: 10 * 60,
    });
  }
  if (options.bulkNotices) await boss.createQueue(BULK_NOTICE_QUEUE, BULK_NOTICE_QUEUE_OPTIONS);
  await boss.createQueue(PLATFORM_QUEUES.evacuationEscalation, {
    name: PLATFORM_QUEUES.evacuationEscalation,
    policy: "singleton",
    retryLimit: 3,
    retryDelay: 30,
    expireInSeconds: 10 * 60,
  });
  const polling = { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 };

  await boss.work(
    PLATFORM_QUEUES.changeCheck,
    polling,
    logged(PLATFORM_QUEUES.changeCheck, async () => {
      const result = await runChangeCheckCycle(ctx);
      // Deliver within the same cycle rather than waiting for the sweeper.
      if (result.events.length > 0) await drainDeliveries(ctx);
      return result;
    }),
  );
  // Every minute on every server: its start and end only at debug.
  await boss.work(
    PLATFORM_QUEUES.webhookDispatch,
    polling,
    logged(PLATFORM_QUEUES.webhookDispatch, async () => drainDeliveries(ctx), "debug"),
  );
  await boss.work(
    PLATFORM_QUEUES.housekeeping,
    polling,
    logged(PLATFORM_QUEUES.housekeeping, async () => {
      const result = await runHousekeeping(ctx.prisma, nowOf(ctx), {
        setTopBoxHeartbeatDays: options.setTopBoxHeartbeatDays,
      });
      log.info({ queue: PLATFORM_QUEUES.housekeeping, deleted: result }, "housekeeping deleted");
      return result;
    }),
  );

  const auditAnchors = options.auditAnchors;
  if (auditAnchors) {
    await boss.work(
      PLATFORM_QUEUES.auditAnchor,
      polling,
      logged(PLATFORM_QUEUES.auditAnchor, async () => {
        const anchor = await writeAuditAnchor(ctx.prisma, auditAnchors, nowOf(ctx));
        if (anchor) log.info({ seq: String(anchor.seq), file: auditAnchors.file }, "audit anchor written");
        // pg-boss keeps the output as JSON: an object, never a bare null.
        return { anchor };
      }),
    );
  }

  const busReceipts = options.busReceipts;
  if (busReceipts) {
    await boss.work(
      PLATFORM_QUEUES.busReceipts,
      polling,
      logged(PLATFORM_QUEUES.busReceipts, async () => {
        const result = await deliverPendingBusReceipts(busReceipts);
        if (result.delivered + result.failed > 0)
          log.info({ queue: PLATFORM_QUEUES.busReceipts, ...result }, "bus receipts");
        return result;
      }),
    );
  }

  const bulkNotices = options.bulkNotices;
  if (bulkNotices) {
    await boss.work<{ batchId?: string }>(BULK_NOTICE_QUEUE, polling, async (jobs) => {
      const results: TRunNoticeBatchResult[] = [];
      for (const job of jobs) {
        const ids = job.data?.batchId ? [job.data.batchId] : await dueNoticeBatches(bulkNotices);
        for (const id of ids) {
          const run = logged(BULK_NOTICE_QUEUE, () => runNoticeBatch(bulkNotices, id));
          results.push(await run());
        }
      }
      // pg-boss keeps the output as JSON: an object, never a bare array.
      return { runs: results };
    });
  }
  // Every minute: the delivery ladder's last step (urgent mail, urgent TV banner), quiet when idle.
  await boss.work(
    PLATFORM_QUEUES.evacuationEscalation,
    polling,
    logged(
      PLATFORM_QUEUES.evacuationEscalation,
      async () => {
        const result = await escalateUnreadNotices({ prisma: ctx.prisma, now: () => nowOf(ctx) });
        if (result.escalated > 0) log.info({ queue: PLATFORM_QUEUES.evacuationEscalation, ...result }, "escalated");
        return result;
      },
      "debug",
    ),
  );

  if (options.schedule ?? true) {
    await boss.schedule(PLATFORM_QUEUES.changeCheck, options.changeCheckCron ?? "*/10 * * * *", {});
    await boss.schedule(PLATFORM_QUEUES.webhookDispatch, options.dispatchCron ?? "* * * * *", {});
    await boss.schedule(PLATFORM_QUEUES.housekeeping, options.housekeepingCron ?? "17 3 * * *", {});
    if (auditAnchors) await boss.schedule(PLATFORM_QUEUES.auditAnchor, options.auditAnchorCron ?? "7 * * * *", {});
    if (busReceipts) await boss.schedule(PLATFORM_QUEUES.busReceipts, options.busReceiptsCron ?? "*/15 * * * *", {});
    if (bulkNotices) await boss.schedule(BULK_NOTICE_QUEUE, options.bulkNoticesCron ?? "* * * * *", {});
    await boss.schedule(PLATFORM_QUEUES.evacuationEscalation, options.evacuationEscalationCron ?? "* * * * *", {});
  }

  const waitFor = async <T>(queue: string, id: string, timeoutMs: number): Promise<T> => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const job = await boss.getJobById<object>(queue, id);
      if (job?.state === "completed") return job.output as T;
      if (job?.state === "failed" || job?.state === "cancelled") {
        throw new Error(`${queue} job ${id} ${job.state}: ${JSON.stringify(job.output)}`);
      }
      if (Date.now() > until) throw new Error(`${queue} job ${id} did not finish in ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  return {
    boss,
    async runChangeCheckNow(timeoutMs = 60_000) {
      const id = await boss.send(PLATFORM_QUEUES.changeCheck, {});
      if (!id) throw new Error("a change-check cycle is already queued");
      return waitFor<TChangeCheckResult>(PLATFORM_QUEUES.changeCheck, id, timeoutMs);
    },
    async dispatchNow() {
      await boss.send(PLATFORM_QUEUES.webhookDispatch, {});
    },
    async housekeepNow(timeoutMs = 60_000) {
      const id = await boss.send(PLATFORM_QUEUES.housekeeping, {});
      if (!id) throw new Error("a housekeeping run is already queued");
      return waitFor<THousekeepingResult>(PLATFORM_QUEUES.housekeeping, id, timeoutMs);
    },
    async anchorAuditNow(timeoutMs = 60_000) {
      if (!auditAnchors) throw new Error("the audit-anchor job was not started (no auditAnchors option)");
      const id = await boss.send(PLATFORM_QUEUES.auditAnchor, {});
      if (!id) throw new Error("an audit anchor is already queued");
      return (await waitFor<{ anchor: TAuditAnchor | null }>(PLATFORM_QUEUES.auditAnchor, id, timeoutMs)).anchor;
    },
    async deliverBusReceiptsNow(timeoutMs = 60_000) {
      if (!busReceipts) throw new Error("the bus receipt job was not started (no busReceipts option)");
      const id = await boss.send(PLATFORM_QUEUES.busReceipts, {});
      if (!id) throw new Error("a bus receipt run is already queued");
      return waitFor<{ delivered: number; failed: number }>(PLATFORM_QUEUES.busReceipts, id, timeoutMs);
    },
    async runNoticeBatchNow(batchId, timeoutMs = 120_000) {
      if (!bulkNotices) throw new Error("the bulk-notice job was not started (no bulkNotices option)");
      const id = await boss.send(BULK_NOTICE_QUEUE, { batchId });
      if (!id) throw new Error("the bulk notice is already queued");
      return (await waitFor<{ runs: TRunNoticeBatchResult[] }>(BULK_NOTICE_QUEUE, id, timeoutMs)).runs;
    },
    async escalateEvacuationNow(timeoutMs = 60_000) {
      const id = await boss.send(PLATFORM_QUEUES.evacuationEscalation, {});
      if (!id) throw new Error("an escalation run is already queued");
      return waitFor<TEscalationResult>(PLATFORM_QUEUES.evacuationEscalation, id, timeoutMs);
    },
    stop: () => boss.stop({ graceful: true, timeout: 10_000, wait: true }),
  };
}

/** Dispatch until nothing is due now (retries that wait for their backoff are left to the sweeper). */
async function drainDeliveries(ctx: TPlatformContext): Promise<{ delivered: number; dead: number; retried: number }> {
  const total = { delivered: 0, dead: 0, retried: 0 };
  for (let i = 0; i < 100; i++) {
    const r = await dispatchWebhookDeliveries(ctx);
    total.delivered += r.delivered;
    total.dead += r.dead;
    total.retried += r.retried;
    if (r.claimed === 0) break;
  }
  return total;
}

/**
 * A queue worker that logs its start, end and failure (with duration); the failure is re-thrown
 * so that pg-boss retries the job as before.
 */
function logged<T>(queue: string, work: () => Promise<T>, level: "info" | "debug" = "info"): () => Promise<T> {
  return async () => {
    const started = performance.now();
    const durationMs = () => Math.round(performance.now() - started);
    log[level]({ queue }, "job started");
    try {
      const result = await work();
      log[level]({ queue, durationMs: durationMs() }, "job finished");
      return result;
    } catch (err) {
      log.error({ queue, durationMs: durationMs(), ...errorFields(err) }, "job failed");
      throw err;
    }
  };
}
