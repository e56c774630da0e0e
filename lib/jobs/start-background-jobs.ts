import { getDb } from "../db/client";
import { getNotificationWorker } from "../notifications/smtp-transport";
import { startPlatformJobsFromEnv } from "../platform/get-platform-context";

/**
 * Every background worker of this process: the platform's queue workers (change checks, webhook
 * deliveries, the daily housekeeping of lib/jobs/housekeeping.ts, the hourly audit anchor) and, when SMTP_URL is
 * configured, the e-mail outbox. Returns what was started.
 */
export async function startBackgroundJobs(): Promise<string[]> {
  await startPlatformJobsFromEnv();
  const started = ["change checks", "webhook deliveries", "housekeeping", "audit anchor"];
  if (getNotificationWorker(getDb)) started.push("e-mail notifications");
  return started;
}
