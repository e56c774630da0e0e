import type { PrismaClient } from "../db/client";
import { appendAuditEvent } from "./append-audit-event";
import { listAccessLog, type TAccessLogEntryDto } from "./list-access-log";
import type { TAuditChannel, TRequestMetadata } from "./schemas";

/** Most lines one export holds; a longer history is cut (the file says so in `truncated`). */
export const ACCESS_LOG_EXPORT_MAX = 10_000;

export type ExportAccessLogOptions = {
  /** The logged-in resident: only their own log is exported. */
  residentId: string;
  format: "csv" | "json";
  channel: TAuditChannel;
  requestMetadata?: TRequestMetadata;
  now?: Date;
};

export type TAccessLogExport = { filename: string; contentType: string; body: string; count: number };

/** CSV columns, in order (a header line in English so tools can read the file in any locale). */
export const ACCESS_LOG_CSV_COLUMNS = [
  "occurredAt",
  "type",
  "actorType",
  "actorIsSelf",
  "actorLabel",
  "actorLabelEn",
  "purpose",
  "channel",
] as const;

/**
 * A CSV field (RFC 4180 §2: quoted when it holds a comma, quote or line break, quotes doubled).
 * Cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR at the start; OWASP "CSV
 * injection") get a leading apostrophe: a purpose or partner name is text that others wrote.
 */
export function csvField(value: string | null | boolean): string {
  if (value === null) return "";
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function toCsv(items: TAccessLogEntryDto[]): string {
  const lines = [ACCESS_LOG_CSV_COLUMNS.join(",")];
  for (const i of items) {
    lines.push(
      [i.occurredAt, i.type, i.actor.type, i.actor.isSelf, i.actor.label, i.actor.labelEn, i.purpose, i.channel]
        .map(csvField)
        .join(","),
    );
  }
  // BOM: Excel, the tool most residents will open this with in Japan, reads UTF-8 only with it.
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

/**
 * The resident's whole access log (newest first, at most {@link ACCESS_LOG_EXPORT_MAX} lines) as
 * CSV or JSON, with the same fields the page shows (no ip, hashes or actor ids). The export is
 * itself audited as `audit.exported`, appended after the read so the file holds what existed when
 * the resident asked, and the next view shows that an export happened.
 */
export async function exportAccessLog(
  prisma: PrismaClient,
  options: ExportAccessLogOptions,
): Promise<TAccessLogExport> {
  const now = options.now ?? new Date();
  const items: TAccessLogEntryDto[] = [];
  let cursor: string | undefined;
  let truncated = false;
  do {
    const page = await listAccessLog(prisma, { residentId: options.residentId, cursor, limit: 100 });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
    if (cursor && items.length >= ACCESS_LOG_EXPORT_MAX) {
      truncated = true;
      break;
    }
  } while (cursor);
  const lines = items.slice(0, ACCESS_LOG_EXPORT_MAX);
  await prisma.$transaction((tx) =>
    appendAuditEvent(tx, {
      type: "audit.exported",
      actor: { type: "resident", id: options.residentId },
      subjectResidentId: options.residentId,
      purpose: "アクセス記録の書き出し",
      channel: options.channel,
      requestMetadata: options.requestMetadata,
      data: { format: options.format, count: lines.length, truncated },
    }),
  );
  const stamp = now.toISOString().slice(0, 10);
  if (options.format === "csv") {
    return {
      filename: `access-log-${stamp}.csv`,
      contentType: "text/csv; charset=utf-8",
      body: toCsv(lines),
      count: lines.length,
    };
  }
  return {
    filename: `access-log-${stamp}.json`,
    contentType: "application/json; charset=utf-8",
    body: `${JSON.stringify({ format: "ichimai-access-log/1", exportedAt: now.toISOString(), truncated, items: lines }, null, 2)}\n`,
    count: lines.length,
  };
}
