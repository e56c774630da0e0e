import { z } from "zod";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { TRequestMetadata } from "@/lib/audit/schemas";
import { sha256Hex } from "@/lib/crypto/sha256";
import { Prisma } from "@/lib/db/client";
import { validationFailed } from "@/lib/errors/app-error";
import { createLog, errorFields } from "@/lib/log/logger";
import { canonicalJsonBytes } from "@/lib/mailbox/canonical-json";
import { nowOf, type TBulkNoticesContext } from "./context";
import { decodeNoticeCsv, isSendableText, parseNoticeCsv, type TNoticeCsvEncoding } from "./parse-notice-csv";
import {
  assertNoticeRole,
  hasAnyRole,
  NOTICE_APPROVAL_THRESHOLD,
  NOTICE_APPROVER_ROLES,
  NOTICE_SENDER_ROLES,
  type TNoticeStaff,
} from "./roles";

const log = createLog("bulk-notices");

const ZNoticeText = (max: number) =>
  z.string().trim().min(1).max(max).refine(isSendableText, { message: "must not contain control characters" });

/** The notice staff write: the same for every line, with {{variables}} filled per line. */
export const ZNoticeContent = z.object({
  title: ZNoticeText(200),
  body: ZNoticeText(10_000),
  titleEn: ZNoticeText(200).optional(),
  bodyEn: ZNoticeText(10_000).optional(),
});
export type TNoticeContent = z.infer<typeof ZNoticeContent>;

export type TCreateNoticeBatchOptions = {
  staff: TNoticeStaff;
  notice: unknown;
  fileName: string;
  csv: Uint8Array;
  encoding: TNoticeCsvEncoding;
  requestMetadata?: TRequestMetadata;
};

export type TCreateNoticeBatchResult = {
  batchId: string;
  /** True when this exact upload (same bytes, same notice) was made before: its batch, nothing new. */
  existing: boolean;
  awaitingApproval: boolean;
};

/**
 * Staff upload a CSV of residents and a notice (CLERK, SUPERVISOR, ADMIN). The file is read and
 * checked now (lib/bulk-notices/parse-notice-csv.ts): lines it refuses are stored REFUSED with
 * their code, the rest PENDING. The batch is QUEUED for the background job — or, when a clerk
 * sends to more than NOTICE_APPROVAL_THRESHOLD residents, AWAITING_APPROVAL by a supervisor.
 *
 * The same upload again (same CSV bytes and encoding, same notice) is the same batch: its hash is
 * unique, so a double submit or a re-upload never delivers twice; the answer names the first
 * batch. Audited `notice.batch_created` (no resident data is read here).
 */
export async function createNoticeBatch(
  ctx: TBulkNoticesContext,
  o: TCreateNoticeBatchOptions,
): Promise<TCreateNoticeBatchResult> {
  assertNoticeRole(o.staff, NOTICE_SENDER_ROLES);
  const parsedNotice = ZNoticeContent.safeParse(o.notice);
  if (!parsedNotice.success) throw validationFailed(parsedNotice.error);
  const notice = parsedNotice.data;
  const text = decodeNoticeCsv(o.csv, o.encoding);
  const csv = parseNoticeCsv(
    text,
    [notice.title, notice.body, notice.titleEn, notice.bodyEn].filter((t): t is string => t !== undefined),
  );
  const uploadHash = sha256Hex(
    canonicalJsonBytes({ notice, encoding: o.encoding, csv: sha256Hex(o.csv) } as Record<string, unknown>),
  );
  const existing = await ctx.prisma.noticeBatch.findUnique({
    where: { uploadHash },
    select: { id: true, status: true },
  });
  if (existing) {
    return { batchId: existing.id, existing: true, awaitingApproval: existing.status === "AWAITING_APPROVAL" };
  }
  const recipients = csv.lines.filter((l) => !l.refusal).length;
  const awaitingApproval = recipients > NOTICE_APPROVAL_THRESHOLD && !hasAnyRole(o.staff, NOTICE_APPROVER_ROLES);
  const now = nowOf(ctx);
  const fileName = o.fileName.slice(0, 200).replace(/[^\p{L}\p{N}._ -]/gu, "_") || "notice.csv";
  let batchId: string;
  try {
    batchId = await ctx.prisma.$transaction(async (tx) => {
      const batch = await tx.noticeBatch.create({
        data: {
          uploadHash,
          status: awaitingApproval ? "AWAITING_APPROVAL" : "QUEUED",
          title: notice.title,
          body: notice.body,
          titleEn: notice.titleEn ?? null,
          bodyEn: notice.bodyEn ?? null,
          fileName,
          variables: csv.variables,
          totalLines: csv.lines.length,
          createdById: o.staff.staffId,
          createdAt: now,
        },
        select: { id: true },
      });
      await tx.noticeLine.createMany({
        data: csv.lines.map((l) => ({
          batchId: batch.id,
          lineNumber: l.lineNumber,
          registryNumber: l.registryNumber,
          values: l.values,
          status: l.refusal ? ("REFUSED" as const) : ("PENDING" as const),
          refusalCode: l.refusal ?? null,
          decidedAt: l.refusal ? now : null,
        })),
      });
      await appendAuditEvent(tx, {
        type: "notice.batch_created",
        actor: { type: "staff", id: o.staff.staffId },
        channel: "console",
        requestMetadata: o.requestMetadata,
        purpose: "お知らせの一括送付",
        data: {
          batchId: batch.id,
          lines: csv.lines.length,
          refusedAtUpload: csv.lines.length - recipients,
          awaitingApproval,
        },
      });
      return batch.id;
    });
  } catch (err) {
    // The same upload committed by a concurrent request (a double click): answer its batch.
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
      const first = await ctx.prisma.noticeBatch.findUnique({
        where: { uploadHash },
        select: { id: true, status: true },
      });
      if (first) return { batchId: first.id, existing: true, awaitingApproval: first.status === "AWAITING_APPROVAL" };
    }
    throw err;
  }
  if (!awaitingApproval) await enqueueQuietly(ctx, batchId);
  return { batchId, existing: false, awaitingApproval };
}

/** Queues the job now; a failure only delays it until the worker's next sweep. */
export async function enqueueQuietly(ctx: TBulkNoticesContext, batchId: string): Promise<void> {
  try {
    await ctx.enqueue?.(batchId);
  } catch (err) {
    log.warn({ batchId, ...errorFields(err) }, "bulk notice not queued now; the sweep will pick it up");
  }
}
