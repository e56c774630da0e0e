import type { Transporter } from "nodemailer";
import type { PrismaClient } from "@/lib/db/client";
import { createLog, errorFields } from "@/lib/log/logger";
import { processNotificationOutbox } from "./process-notification-outbox";

export type TNotificationWorker = {
  /** Run a drain soon (coalesced): call after a transaction that queued mails has committed. */
  kick(): void;
  stop(): Promise<void>;
};

/**
 * Drains the notification outbox in this process: every `intervalMs` (retries whose backoff ran
 * out) and soon after each `kick()` (fresh deliveries). Runs never overlap; a failing run is
 * logged and the next one tries again — the outbox, not this loop, holds the state.
 */
export function startNotificationWorker(
  getPrisma: () => Promise<PrismaClient>,
  options: {
    transport: Pick<Transporter, "sendMail">;
    from: string;
    portalOrigin: string;
    intervalMs?: number;
  },
): TNotificationWorker {
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  const run = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      try {
        const prisma = await getPrisma();
        // Keep going while full pages come back (a bulk of 10,000 queues 10,000 mails).
        for (;;) {
          const r = await processNotificationOutbox(prisma, { ...options, limit: 100 });
          if (r.sent + r.skipped + r.retried + r.dead < 100 || stopped) break;
        }
      } catch (err) {
        createLog("notifications").error(errorFields(err), "outbox run failed");
      } finally {
        running = undefined;
        if (again) {
          again = false;
          setImmediate(run);
        }
      }
    })();
  };
  const timer = setInterval(run, options.intervalMs ?? 30_000);
  timer.unref();
  return {
    kick: run,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
