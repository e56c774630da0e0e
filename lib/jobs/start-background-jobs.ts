import { getDb } from "../db/client";
import { getNotificationWorker } from "../notifications/smtp-transport";
import { startPlatformJobsFromEnv } from "../platform/get-platform-context";
import { startHousekeeping } from "./housekeeping";

let housekeepingStarted = false;

/**
 * Every background worker of this process: the platform's queue workers (change checks, webhook
 * deliveries), housekeeping (expired login challenges, rate-limit counters, old API usage) and,
 * when SMTP_URL is configured, the e-mail outbox. Returns what was started.
 */
export async function startBackgroundJobs(): Promise<string[]> {
  await startPlatformJobsFromEnv();
  if (!housekeepingStarted) {
    startHousekeeping(getDb);
    housekeepingStarted = true;
  }
  const started = ["change checks", "webhook deliveries", "housekeeping"];
  if (getNotificationWorker(getDb)) started.push("e-mail notifications");
  return started;
}
