import PgBoss from "pg-boss";

/** The pg-boss queue of bulk notices: `{ batchId }` runs one batch, `{}` sweeps every batch that is due. */
export const BULK_NOTICE_QUEUE = "bulk-notices";

/** Queue options, shared by the worker (lib/jobs) and the app's sender so that either may create it. */
export const BULK_NOTICE_QUEUE_OPTIONS = {
  name: BULK_NOTICE_QUEUE,
  policy: "standard",
  retryLimit: 5,
  retryDelay: 30,
  retryBackoff: true,
  expireInSeconds: 30 * 60,
} as const;

export type TNoticeQueueSender = { send: (batchId: string) => Promise<void>; stop: () => Promise<void> };

/**
 * A send-only pg-boss client for the app server (which runs no workers): it queues a batch for
 * whichever jobs process takes it. Nothing is lost if this fails after the batch was committed:
 * the worker's sweep finds every QUEUED batch within a minute.
 */
export async function createNoticeQueueSender(connectionString: string): Promise<TNoticeQueueSender> {
  const boss = new PgBoss({ connectionString, schema: "pgboss", max: 1, supervise: false, schedule: false });
  await boss.start();
  await boss.createQueue(BULK_NOTICE_QUEUE, BULK_NOTICE_QUEUE_OPTIONS);
  return {
    send: async (batchId) => {
      // One queued job per batch at a time.
      await boss.send(BULK_NOTICE_QUEUE, { batchId }, { singletonKey: batchId });
    },
    stop: () => boss.stop({ graceful: true, timeout: 5_000, wait: true }),
  };
}
