import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { TRequestMetadata } from "@/lib/audit/schemas";
import { AppError } from "@/lib/errors/app-error";
import { nowOf, type TBulkNoticesContext } from "./context";
import { enqueueQuietly } from "./create-notice-batch";
import { assertNoticeRole, hasAnyRole, NOTICE_APPROVER_ROLES, NOTICE_SENDER_ROLES, type TNoticeStaff } from "./roles";

export type TDecideNoticeBatchOptions = { staff: TNoticeStaff; batchId: string; requestMetadata?: TRequestMetadata };

/**
 * A SUPERVISOR or ADMIN other than the uploader approves a batch AWAITING_APPROVAL: it is QUEUED
 * for the job. NOTICE_APPROVER_IS_UPLOADER for the uploader, NOTICE_BATCH_STATE when it is not
 * awaiting approval (a second approval finds it queued). Audited `notice.batch_approved`.
 */
export async function approveNoticeBatch(ctx: TBulkNoticesContext, o: TDecideNoticeBatchOptions): Promise<void> {
  assertNoticeRole(o.staff, NOTICE_APPROVER_ROLES);
  const batch = await ctx.prisma.noticeBatch.findUnique({ where: { id: o.batchId }, select: { createdById: true } });
  if (!batch) throw new AppError("NOTICE_BATCH_NOT_FOUND");
  if (batch.createdById === o.staff.staffId) throw new AppError("NOTICE_APPROVER_IS_UPLOADER");
  const now = nowOf(ctx);
  await ctx.prisma.$transaction(async (tx) => {
    const { count } = await tx.noticeBatch.updateMany({
      where: { id: o.batchId, status: "AWAITING_APPROVAL" },
      data: { status: "QUEUED", approvedById: o.staff.staffId, approvedAt: now },
    });
    if (count !== 1) throw new AppError("NOTICE_BATCH_STATE");
    await appendAuditEvent(tx, {
      type: "notice.batch_approved",
      actor: { type: "staff", id: o.staff.staffId },
      channel: "console",
      requestMetadata: o.requestMetadata,
      purpose: "お知らせの一括送付",
      data: { batchId: o.batchId },
    });
  });
  await enqueueQuietly(ctx, o.batchId);
}

/**
 * The uploader, or a SUPERVISOR or ADMIN, withdraws a batch that has not started
 * (AWAITING_APPROVAL or QUEUED): nothing of it is sent. NOTICE_BATCH_STATE once the job took it.
 * Audited `notice.batch_cancelled`.
 */
export async function cancelNoticeBatch(ctx: TBulkNoticesContext, o: TDecideNoticeBatchOptions): Promise<void> {
  assertNoticeRole(o.staff, NOTICE_SENDER_ROLES);
  const batch = await ctx.prisma.noticeBatch.findUnique({ where: { id: o.batchId }, select: { createdById: true } });
  if (!batch) throw new AppError("NOTICE_BATCH_NOT_FOUND");
  if (batch.createdById !== o.staff.staffId && !hasAnyRole(o.staff, NOTICE_APPROVER_ROLES)) {
    throw new AppError("FORBIDDEN");
  }
  const now = nowOf(ctx);
  await ctx.prisma.$transaction(async (tx) => {
    const { count } = await tx.noticeBatch.updateMany({
      where: { id: o.batchId, status: { in: ["AWAITING_APPROVAL", "QUEUED"] }, startedAt: null },
      data: { status: "CANCELLED", finishedAt: now },
    });
    if (count !== 1) throw new AppError("NOTICE_BATCH_STATE");
    await appendAuditEvent(tx, {
      type: "notice.batch_cancelled",
      actor: { type: "staff", id: o.staff.staffId },
      channel: "console",
      requestMetadata: o.requestMetadata,
      data: { batchId: o.batchId },
    });
  });
}

/**
 * Staff ask a FAILED batch to run again (after the town's signer was fixed): QUEUED, and the job
 * finishes the PENDING lines; delivered and refused lines keep their outcome.
 */
export async function retryNoticeBatch(ctx: TBulkNoticesContext, o: TDecideNoticeBatchOptions): Promise<void> {
  assertNoticeRole(o.staff, NOTICE_SENDER_ROLES);
  const { count } = await ctx.prisma.noticeBatch.updateMany({
    where: { id: o.batchId, status: "FAILED" },
    data: { status: "QUEUED", failureCode: null },
  });
  if (count !== 1) {
    const exists = await ctx.prisma.noticeBatch.count({ where: { id: o.batchId } });
    throw new AppError(exists ? "NOTICE_BATCH_STATE" : "NOTICE_BATCH_NOT_FOUND");
  }
  await enqueueQuietly(ctx, o.batchId);
}
