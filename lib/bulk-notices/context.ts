import type { PrismaClient } from "@/lib/db/client";
import { resolveDataPath } from "@/lib/env";
import { getRuntime, type TRuntime } from "@/lib/runtime/runtime";
import { loadTownSigner, type TTownSigner } from "@/lib/services/applications/town-signer";
import { createNoticeQueueSender, type TNoticeQueueSender } from "./notice-queue";

/** The app's send-only queue client per runtime; forgotten when it failed to start, so the next send tries again. */
const senders = new WeakMap<TRuntime, Promise<TNoticeQueueSender>>();

function senderOf(runtime: TRuntime): Promise<TNoticeQueueSender> {
  let sender = senders.get(runtime);
  if (!sender) {
    sender = runtime.database().then(({ url }) => createNoticeQueueSender(url));
    senders.set(runtime, sender);
    sender.catch(() => senders.delete(runtime));
  }
  return sender;
}

/** What the bulk-notice use cases take (convention 4): the database, the town's signer, issuer trust, the queue. */
export type TBulkNoticesContext = {
  prisma: PrismaClient;
  /** The town's signing identity (TOWN_SIGNER_DIR): the same signer as the town's other documents. */
  townSigner: () => Promise<TTownSigner>;
  /** Roots and CRLs the mailbox checks the town's signature against at delivery. */
  issuerTrustAnchors: () => Promise<Uint8Array[]>;
  issuerCrls?: () => Promise<Uint8Array[]>;
  /** Asks the background job to run a batch now (the job's sweep picks it up anyway within a minute). */
  enqueue?: (batchId: string) => Promise<void>;
  now?: () => Date;
};

export function nowOf(ctx: Pick<TBulkNoticesContext, "now">): Date {
  return ctx.now?.() ?? new Date();
}

/** The process's context, a view over the runtime; the job queue is reached through pg-boss once per runtime. */
export async function getBulkNoticesContext(runtime: TRuntime = getRuntime()): Promise<TBulkNoticesContext> {
  const { prisma } = await runtime.platform();
  return {
    prisma,
    townSigner: () => loadTownSigner(resolveDataPath(runtime.config.TOWN_SIGNER_DIR)),
    issuerTrustAnchors: () => runtime.issuerTrust.anchors(),
    issuerCrls: () => runtime.issuerTrust.crls(),
    enqueue: async (batchId) => (await senderOf(runtime)).send(batchId),
    now: runtime.now,
  };
}
