/**
 * The audit log as the staff console's audit viewer (/admin/audit) reads it: filtered, newest
 * first, paged by keyset on `seq`; exported as CSV; and the hash-chain + anchor check run on
 * demand. Only active staff with the AUDITOR or ADMIN role (AUDIT_VIEWER_FORBIDDEN otherwise), and
 * every use is itself audited: `audit.log_viewed` for a page, `audit.exported` for a file,
 * `audit.chain_verified` for a check. An auditor only reads: nothing here changes an event.
 */
import { stringify } from "csv-stringify/sync";
import { z } from "zod";
import type { Prisma, PrismaClient } from "../db/client";
import { AppError } from "../errors/app-error";
import { appendAuditEvent } from "./append-audit-event";
import { type TAuditAnchorConfig, type TAuditAnchorReport, verifyAuditAnchors } from "./audit-anchor";
import { type TRequestMetadata, ZAuditActorType, ZAuditChannel, ZAuditEventType } from "./schemas";
import { type TAuditChainReport, verifyAuditChain } from "./verify-audit-chain";

/** Staff roles that may read the audit log. */
export const AUDIT_VIEWER_ROLES = ["AUDITOR", "ADMIN"] as const;

/** Most rows one page shows. */
export const AUDIT_PAGE_MAX = 200;
/** Most rows one CSV export holds; the rest is cut and the export says so (`truncated`). */
export const AUDIT_EXPORT_MAX = 50_000;

/** A seq as the page carries it: decimal digits, no sign. */
const ZSeq = z
  .string()
  .regex(/^[1-9][0-9]{0,18}$/)
  .transform((s) => BigInt(s));

/** The viewer's filters; every one optional. `to` is exclusive. */
export const ZAuditEventFilter = z.object({
  type: ZAuditEventType.optional(),
  actorType: ZAuditActorType.optional(),
  actorId: z.string().trim().min(1).max(200).optional(),
  subjectResidentId: z.uuid().optional(),
  channel: ZAuditChannel.optional(),
  from: z.date().optional(),
  to: z.date().optional(),
});
export type TAuditEventFilter = z.input<typeof ZAuditEventFilter>;

export type TAuditEventDto = {
  seq: string;
  id: string;
  occurredAt: Date;
  type: string;
  actorType: string;
  actorId: string | null;
  subjectResidentId: string | null;
  purpose: string | null;
  channel: string | null;
  ip: string | null;
  userAgent: string | null;
  data: Prisma.JsonValue;
  prevHash: string;
  hash: string;
};

export type TAuditEventPage = { items: TAuditEventDto[]; nextCursor: string | null };

type TStaffCaller = { staffId: string; requestMetadata?: TRequestMetadata };

async function assertAuditViewer(tx: Prisma.TransactionClient | PrismaClient, staffId: string): Promise<void> {
  const staff = await tx.staffMember.findUnique({ where: { id: staffId }, select: { active: true, roles: true } });
  if (!staff?.active || !staff.roles.some((r) => (AUDIT_VIEWER_ROLES as readonly string[]).includes(r))) {
    throw new AppError("AUDIT_VIEWER_FORBIDDEN");
  }
}

function whereOf(f: z.output<typeof ZAuditEventFilter>, beforeSeq?: bigint): Prisma.AuditEventWhereInput {
  const occurredAt: Prisma.DateTimeFilter = {};
  if (f.from) occurredAt.gte = f.from;
  if (f.to) occurredAt.lt = f.to;
  return {
    ...(f.type ? { type: f.type } : {}),
    ...(f.actorType ? { actorType: f.actorType } : {}),
    ...(f.actorId ? { actorId: f.actorId } : {}),
    ...(f.subjectResidentId ? { subjectResidentId: f.subjectResidentId } : {}),
    ...(f.channel ? { channel: f.channel } : {}),
    ...(f.from || f.to ? { occurredAt } : {}),
    ...(beforeSeq !== undefined ? { seq: { lt: beforeSeq } } : {}),
  };
}

/** The filters as JSON for the audit row of a view or an export (dates as ISO strings). */
function filterJson(f: z.output<typeof ZAuditEventFilter>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(f)) {
    if (v instanceof Date) out[k] = v.toISOString();
    else if (typeof v === "string") out[k] = v;
  }
  return out;
}

function toDto(r: {
  seq: bigint;
  id: string;
  occurredAt: Date;
  type: string;
  actorType: string;
  actorId: string | null;
  subjectResidentId: string | null;
  purpose: string | null;
  channel: string | null;
  ip: string | null;
  userAgent: string | null;
  data: Prisma.JsonValue;
  prevHash: string;
  hash: string;
}): TAuditEventDto {
  return { ...r, seq: r.seq.toString() };
}

export const ZListAuditEvents = z.object({
  filter: ZAuditEventFilter.default({}),
  /** The `nextCursor` of the previous page: the seq to continue below. */
  cursor: ZSeq.optional(),
  limit: z.number().int().min(1).max(AUDIT_PAGE_MAX).default(50),
});
export type TListAuditEvents = z.input<typeof ZListAuditEvents> & TStaffCaller;

/**
 * One page of the audit log, newest first (seq descending), keyset-paged: the next page starts
 * below the last seq shown, so events appended meanwhile never shift a page. The view is audited
 * `audit.log_viewed` (channel console) with the filters and the seqs shown; a filter on a resident
 * makes it an event about that resident (their access log shows that staff looked).
 */
export async function listAuditEvents(prisma: PrismaClient, options: TListAuditEvents): Promise<TAuditEventPage> {
  const input = ZListAuditEvents.parse(options);
  return prisma.$transaction(async (tx) => {
    await assertAuditViewer(tx, options.staffId);
    const rows = await tx.auditEvent.findMany({
      where: whereOf(input.filter, input.cursor),
      orderBy: { seq: "desc" },
      take: input.limit + 1,
    });
    const items = rows.slice(0, input.limit).map(toDto);
    const nextCursor = rows.length > input.limit ? (items.at(-1)?.seq ?? null) : null;
    await appendAuditEvent(tx, {
      type: "audit.log_viewed",
      actor: { type: "staff", id: options.staffId },
      subjectResidentId: input.filter.subjectResidentId,
      purpose: "audit review",
      channel: "console",
      requestMetadata: options.requestMetadata,
      data: {
        filter: filterJson(input.filter),
        ...(input.cursor !== undefined ? { cursor: input.cursor.toString() } : {}),
        count: items.length,
        firstSeq: items[0]?.seq ?? null,
        lastSeq: items.at(-1)?.seq ?? null,
      },
    });
    return { items, nextCursor };
  });
}

/** CSV columns, in order (English header so tools read it in any locale). */
export const AUDIT_CSV_COLUMNS = [
  "seq",
  "occurredAt",
  "type",
  "actorType",
  "actorId",
  "subjectResidentId",
  "purpose",
  "channel",
  "ip",
  "userAgent",
  "data",
  "prevHash",
  "hash",
] as const;

/** A cell a spreadsheet would run as a formula (OWASP "CSV injection") gets a leading apostrophe. */
function defuse(v: string | null): string {
  if (v === null) return "";
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

export type TAuditExport = { filename: string; contentType: string; body: string; count: number; truncated: boolean };

export type TExportAuditEvents = { filter?: TAuditEventFilter; now?: Date } & TStaffCaller;

/**
 * The filtered events, oldest first (at most {@link AUDIT_EXPORT_MAX}), as RFC 4180 CSV with a
 * BOM (Excel reads UTF-8 only with it), every column including the hashes so the file can be
 * checked against the chain. Audited `audit.exported` after the read (scope `staff`, the filters
 * and the count).
 */
export async function exportAuditEvents(prisma: PrismaClient, options: TExportAuditEvents): Promise<TAuditExport> {
  const filter = ZAuditEventFilter.parse(options.filter ?? {});
  const now = options.now ?? new Date();
  await assertAuditViewer(prisma, options.staffId);
  const rows: TAuditEventDto[] = [];
  let after = 0n;
  let truncated = false;
  for (;;) {
    const batch = await prisma.auditEvent.findMany({
      where: { AND: [whereOf(filter), { seq: { gt: after } }] },
      orderBy: { seq: "asc" },
      take: 1000,
    });
    for (const r of batch) rows.push(toDto(r));
    if (rows.length > AUDIT_EXPORT_MAX) {
      rows.length = AUDIT_EXPORT_MAX;
      truncated = true;
      break;
    }
    if (batch.length < 1000) break;
    after = batch.at(-1)!.seq;
  }
  const body = stringify(
    rows.map((r) => [
      r.seq,
      r.occurredAt.toISOString(),
      r.type,
      r.actorType,
      defuse(r.actorId),
      r.subjectResidentId ?? "",
      defuse(r.purpose),
      r.channel ?? "",
      r.ip ?? "",
      defuse(r.userAgent),
      defuse(JSON.stringify(r.data)),
      r.prevHash,
      r.hash,
    ]),
    { header: true, columns: [...AUDIT_CSV_COLUMNS], record_delimiter: "windows" },
  );
  await prisma.$transaction(async (tx) => {
    await assertAuditViewer(tx, options.staffId);
    await appendAuditEvent(tx, {
      type: "audit.exported",
      actor: { type: "staff", id: options.staffId },
      subjectResidentId: filter.subjectResidentId,
      purpose: "audit review",
      channel: "console",
      requestMetadata: options.requestMetadata,
      data: { scope: "staff", format: "csv", filter: filterJson(filter), count: rows.length, truncated },
    });
  });
  const stamp = now.toISOString().slice(0, 19).replaceAll(":", "").replace("T", "-");
  return {
    filename: `ichimai-audit-${stamp}.csv`,
    contentType: "text/csv; charset=utf-8",
    body: `\uFEFF${body}`,
    count: rows.length,
    truncated,
  };
}

export type TAuditIntegrityReport = { chain: TAuditChainReport; anchors: TAuditAnchorReport | null };

/**
 * The integrity check of `npm run audit:verify` from the console: the hash chain from seq 1
 * (streamed in batches), then — only when the chain holds, as the script does — the anchors kept
 * outside the database. Audited `audit.chain_verified` with the outcome (the check's own event is
 * appended after it, so it is not part of what was checked).
 */
export async function runAuditIntegrityCheck(
  prisma: PrismaClient,
  options: TStaffCaller & { anchors: TAuditAnchorConfig | null; batchSize?: number },
): Promise<TAuditIntegrityReport> {
  await assertAuditViewer(prisma, options.staffId);
  const chain = await verifyAuditChain(prisma, { batchSize: options.batchSize });
  const anchors = chain.ok && options.anchors ? await verifyAuditAnchors(prisma, options.anchors) : null;
  await prisma.$transaction(async (tx) => {
    await appendAuditEvent(tx, {
      type: "audit.chain_verified",
      actor: { type: "staff", id: options.staffId },
      purpose: "audit review",
      channel: "console",
      requestMetadata: options.requestMetadata,
      data: chain.ok
        ? {
            ok: anchors === null || anchors.problems.length === 0,
            count: chain.count.toString(),
            headHash: chain.headHash,
            anchorsVerified: anchors?.verified ?? null,
            anchorProblems: anchors?.problems.length ?? null,
          }
        : { ok: false, count: chain.count.toString(), brokenSeq: chain.brokenSeq.toString(), reason: chain.reason },
    });
  });
  return { chain, anchors };
}
