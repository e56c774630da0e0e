import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { listAccessLog, type TAccessLogPage } from "@/lib/audit/list-access-log";
import type { TAuditChannel, TRequestMetadata } from "@/lib/audit/schemas";
import type { PrismaClient } from "@/lib/db/client";

export type ViewAccessLogOptions = {
  /** The logged-in resident: the page shows their own log only. */
  residentId: string;
  cursor?: string;
  limit?: number;
  channel: TAuditChannel;
  requestMetadata?: TRequestMetadata;
};

/**
 * One page of the resident's own access log ("who looked at my data"), with the viewing itself
 * recorded as `audit.access_log_viewed`. The event is appended before the read, so it is the
 * newest line of the first page: the resident sees that their own look was logged too.
 */
export async function viewAccessLog(prisma: PrismaClient, options: ViewAccessLogOptions): Promise<TAccessLogPage> {
  await prisma.$transaction((tx) =>
    appendAuditEvent(tx, {
      type: "audit.access_log_viewed",
      actor: { type: "resident", id: options.residentId },
      subjectResidentId: options.residentId,
      purpose: "アクセス記録の閲覧",
      channel: options.channel,
      requestMetadata: options.requestMetadata,
      data: { page: options.cursor ? "next" : "first" },
    }),
  );
  return listAccessLog(prisma, { residentId: options.residentId, cursor: options.cursor, limit: options.limit });
}
