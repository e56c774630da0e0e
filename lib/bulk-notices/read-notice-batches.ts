import { stringify } from "csv-stringify/sync";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { TRequestMetadata } from "@/lib/audit/schemas";
import type { PrismaClient } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { assertNoticeRole, hasAnyRole, NOTICE_APPROVER_ROLES, NOTICE_SENDER_ROLES, type TNoticeStaff } from "./roles";

export type TNoticeBatchStatus = "AWAITING_APPROVAL" | "QUEUED" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELLED";

/** A batch as the console shows it (no resident data: counts only). */
export type TNoticeBatchDto = {
  id: string;
  status: TNoticeBatchStatus;
  title: string;
  fileName: string;
  createdAt: string;
  createdByMe: boolean;
  /** Whether this staff member may approve it now (a supervisor other than the uploader). */
  canApprove: boolean;
  total: number;
  delivered: number;
  refused: number;
  pending: number;
  /** Whole percent of lines with an outcome, 0–100. */
  percent: number;
  failureCode: string | null;
  finished: boolean;
};

const batchSelect = {
  id: true,
  status: true,
  title: true,
  fileName: true,
  createdAt: true,
  createdById: true,
  totalLines: true,
  failureCode: true,
} as const;

type TBatchRow = {
  id: string;
  status: TNoticeBatchStatus;
  title: string;
  fileName: string;
  createdAt: Date;
  createdById: string;
  totalLines: number;
  failureCode: string | null;
};

async function countsOf(
  prisma: PrismaClient,
  ids: string[],
): Promise<Map<string, { delivered: number; refused: number }>> {
  const groups = ids.length
    ? await prisma.noticeLine.groupBy({
        by: ["batchId", "status"],
        where: { batchId: { in: ids } },
        _count: { _all: true },
      })
    : [];
  const out = new Map<string, { delivered: number; refused: number }>();
  for (const g of groups) {
    const c = out.get(g.batchId) ?? { delivered: 0, refused: 0 };
    if (g.status === "DELIVERED") c.delivered = g._count._all;
    if (g.status === "REFUSED") c.refused = g._count._all;
    out.set(g.batchId, c);
  }
  return out;
}

function toDto(
  row: TBatchRow,
  c: { delivered: number; refused: number } | undefined,
  staff: TNoticeStaff,
): TNoticeBatchDto {
  const delivered = c?.delivered ?? 0;
  const refused = c?.refused ?? 0;
  const done = delivered + refused;
  return {
    id: row.id,
    status: row.status,
    title: row.title,
    fileName: row.fileName,
    createdAt: row.createdAt.toISOString(),
    createdByMe: row.createdById === staff.staffId,
    canApprove:
      row.status === "AWAITING_APPROVAL" &&
      row.createdById !== staff.staffId &&
      hasAnyRole(staff, NOTICE_APPROVER_ROLES),
    total: row.totalLines,
    delivered,
    refused,
    pending: row.totalLines - done,
    percent: row.totalLines === 0 ? 100 : Math.floor((done * 100) / row.totalLines),
    failureCode: row.failureCode,
    finished: row.status === "COMPLETED" || row.status === "CANCELLED",
  };
}

/** The most recent bulk notices (newest first), with their progress; staff who may send only. */
export async function listNoticeBatches(
  prisma: PrismaClient,
  o: { staff: TNoticeStaff; take?: number },
): Promise<TNoticeBatchDto[]> {
  assertNoticeRole(o.staff, NOTICE_SENDER_ROLES);
  const rows = await prisma.noticeBatch.findMany({
    orderBy: { createdAt: "desc" },
    take: o.take ?? 20,
    select: batchSelect,
  });
  const c = await countsOf(
    prisma,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toDto(r, c.get(r.id), o.staff));
}

/** One bulk notice and its progress (the page polls it). NOTICE_BATCH_NOT_FOUND when there is none. */
export async function getNoticeBatch(
  prisma: PrismaClient,
  o: { staff: TNoticeStaff; batchId: string },
): Promise<TNoticeBatchDto> {
  assertNoticeRole(o.staff, NOTICE_SENDER_ROLES);
  const row = await prisma.noticeBatch.findUnique({ where: { id: o.batchId }, select: batchSelect });
  if (!row) throw new AppError("NOTICE_BATCH_NOT_FOUND");
  return toDto(row, (await countsOf(prisma, [row.id])).get(row.id), o.staff);
}

/** The report's status column: delivered / refused / pending (not sent yet). */
export type TNoticeLineReport = {
  line: number;
  registryNumber: string;
  status: "delivered" | "refused" | "pending";
  code: string;
  documentId: string;
};

/** Every line of a batch with its outcome, in file order. */
export async function noticeBatchLines(
  prisma: PrismaClient,
  o: { staff: TNoticeStaff; batchId: string },
): Promise<TNoticeLineReport[]> {
  assertNoticeRole(o.staff, NOTICE_SENDER_ROLES);
  const exists = await prisma.noticeBatch.count({ where: { id: o.batchId } });
  if (!exists) throw new AppError("NOTICE_BATCH_NOT_FOUND");
  const lines = await prisma.noticeLine.findMany({
    where: { batchId: o.batchId },
    orderBy: { lineNumber: "asc" },
    select: { lineNumber: true, registryNumber: true, status: true, refusalCode: true, documentId: true },
  });
  return lines.map((l) => ({
    line: l.lineNumber,
    registryNumber: l.registryNumber,
    status: l.status === "DELIVERED" ? "delivered" : l.status === "REFUSED" ? "refused" : "pending",
    code: l.refusalCode ?? "",
    documentId: l.documentId ?? "",
  }));
}

/**
 * The per-line report as CSV (UTF-8 with a BOM so that spreadsheet programs in Japan read it):
 * line, registryNumber, status (delivered / refused / pending), code (the stable refusal code),
 * documentId. Holds registry numbers: audited `notice.report_downloaded`.
 */
export async function noticeReportCsv(
  prisma: PrismaClient,
  o: { staff: TNoticeStaff; batchId: string; requestMetadata?: TRequestMetadata },
): Promise<string> {
  const lines = await noticeBatchLines(prisma, o);
  await prisma.$transaction(async (tx) => {
    await appendAuditEvent(tx, {
      type: "notice.report_downloaded",
      actor: { type: "staff", id: o.staff.staffId },
      channel: "console",
      requestMetadata: o.requestMetadata,
      data: { batchId: o.batchId, lines: lines.length },
    });
  });
  // A refused line's registry number is whatever the file held: never a formula in a spreadsheet.
  const safe = lines.map((l) => ({ ...l, registryNumber: l.registryNumber.replace(/^[=+\-@\t\r]/, "'$&") }));
  const csv = stringify(safe, {
    header: true,
    columns: ["line", "registryNumber", "status", "code", "documentId"],
  });
  return `\ufeff${csv}`;
}
