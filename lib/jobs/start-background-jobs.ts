import { getBulkNoticesContext } from "../bulk-notices/context";
import { errorFields } from "../log/logger";
import { getRuntime, type TRuntime } from "../runtime/runtime";
import { getBusContext } from "../services/bus/get-bus-context";
import { startPlatformJobs, type TPlatformJobs } from "./start-platform-jobs";

/**
 * Starts the platform's pg-boss workers and schedules once per runtime (the server's start-up:
 * scripts/dev.ts, scripts/jobs.ts), on the runtime's database and platform context.
 */
export function startPlatformJobsFromRuntime(runtime: TRuntime = getRuntime()): Promise<TPlatformJobs> {
  return runtime.once("platform-jobs", async () => {
    const { url } = await runtime.database();
    return startPlatformJobs(await runtime.platform(), {
      connectionString: url,
      changeCheckCron: runtime.config.PLATFORM_CHANGE_CHECK_CRON,
      setTopBoxHeartbeatDays: runtime.config.SET_TOP_BOX_HEARTBEAT_RETENTION_DAYS,
      auditAnchors: runtime.auditAnchors(),
      busReceipts: await getBusContext(runtime),
      bulkNotices: await getBulkNoticesContext(runtime),
      onError: (err) => runtime.logger.error(errorFields(err), "platform job queue error"),
    });
  });
}

/**
 * Every background worker of this process: the platform's queue workers (change checks, webhook
 * deliveries, the daily housekeeping of lib/jobs/housekeeping.ts, the hourly audit anchor, the bus ride receipts left undelivered) and, when SMTP_URL is
 * configured, the e-mail outbox. Returns what was started.
 */
export async function startBackgroundJobs(runtime: TRuntime = getRuntime()): Promise<string[]> {
  await startPlatformJobsFromRuntime(runtime);
  const started = [
    "change checks",
    "webhook deliveries",
    "housekeeping",
    "audit anchor",
    "bus receipts",
    "bulk notices",
  ];
  if (runtime.mailer.worker()) started.push("e-mail notifications");
  return started;
}
