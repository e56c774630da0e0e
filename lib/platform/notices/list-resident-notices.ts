import type { PrismaClient } from "../../db/client";

/** A platform notice as the resident's pages show it. */
export type TResidentNoticeDto = {
  id: string;
  kind: string;
  title: string;
  body: string;
  /** For certificate_change_shared: the serial, reason, and the partners told ({ partnerId, name }). */
  data: unknown;
  createdAt: Date;
  readAt: Date | null;
};

/**
 * The resident's own platform notices, newest first (e.g. "these partners were told your signing
 * certificate was revoked"). Reading one's own notices is not an access to be audited; the resident
 * pages call this with the session's residentId only (convention 5, docs/architecture.md#conventions).
 */
export async function listResidentNotices(
  prisma: PrismaClient,
  options: { residentId: string; limit?: number },
): Promise<TResidentNoticeDto[]> {
  return prisma.residentNotice.findMany({
    where: { residentId: options.residentId },
    orderBy: { createdAt: "desc" },
    take: Math.min(Math.max(options.limit ?? 50, 1), 200),
    select: { id: true, kind: true, title: true, body: true, data: true, createdAt: true, readAt: true },
  });
}
