import { z } from "zod";
import type { Prisma, PrismaClient } from "../db/client";
import { occurredAtSeqCursor, parseCursor } from "../pagination/keyset-cursor";
import type { TAuditActorType, TAuditChannel, TAuditEventType } from "./schemas";

export const ZListAccessLogOptions = z.object({
  residentId: z.uuid(),
  /** nextCursor of the previous page. */
  cursor: z.string().max(40).optional(),
  limit: z.number().int().min(1).max(100).default(20),
});
export type ListAccessLogOptions = z.input<typeof ZListAccessLogOptions>;

/** One line of "who looked at my data", without internal fields (seq, hashes, ip, actor ids). */
export type TAccessLogEntryDto = {
  id: string;
  occurredAt: string;
  type: TAuditEventType;
  actor: {
    type: TAuditActorType;
    /** The resident themself (actorType resident with their own id). */
    isSelf: boolean;
    /** Partner name, staff department, or the proxy's name; null for the system and unknowns. */
    label: string | null;
    labelEn: string | null;
  };
  purpose: string | null;
  channel: TAuditChannel | null;
};

export type TAccessLogPage = { items: TAccessLogEntryDto[]; nextCursor: string | null };

const accessLogSelect = {
  seq: true,
  id: true,
  occurredAt: true,
  type: true,
  actorType: true,
  actorId: true,
  purpose: true,
  channel: true,
} satisfies Prisma.AuditEventSelect;

/**
 * A resident's own access log: every audit event about them, newest first, by cursor pages.
 * Staff appear by department and partners by name (as マイナポータル's 自己情報表示 shows the
 * institution, not the clerk); the caller has already established that `residentId` is the
 * reader's own (or that a proxy may see it).
 */
export async function listAccessLog(prisma: PrismaClient, options: ListAccessLogOptions): Promise<TAccessLogPage> {
  const { residentId, cursor, limit } = ZListAccessLogOptions.parse(options);
  const before = cursor === undefined ? undefined : parseCursor(occurredAtSeqCursor, cursor);
  // Newest first by (occurredAt, seq), which the (subjectResidentId, occurredAt) index serves;
  // seq breaks ties and keeps the order total even if app servers' clocks disagree.
  const rows = await prisma.auditEvent.findMany({
    where: {
      subjectResidentId: residentId,
      ...(before === undefined
        ? {}
        : {
            OR: [{ occurredAt: { lt: before.occurredAt } }, { occurredAt: before.occurredAt, seq: { lt: before.seq } }],
          }),
    },
    orderBy: [{ occurredAt: "desc" }, { seq: "desc" }],
    take: limit + 1,
    select: accessLogSelect,
  });
  const page = rows.slice(0, limit);
  const labels = await resolveActorLabels(prisma, page);
  const last = page.at(-1);
  return {
    items: page.map((r) => {
      const label = r.actorId ? labels.get(`${r.actorType}:${r.actorId}`) : undefined;
      return {
        id: r.id,
        occurredAt: r.occurredAt.toISOString(),
        type: r.type as TAuditEventType,
        actor: {
          type: r.actorType as TAuditActorType,
          isSelf: r.actorType === "resident" && r.actorId === residentId,
          label: label?.ja ?? null,
          labelEn: label?.en ?? null,
        },
        purpose: r.purpose,
        channel: r.channel as TAuditChannel | null,
      };
    }),
    nextCursor: rows.length > limit && last ? occurredAtSeqCursor.encode(last) : null,
  };
}

type TLabel = { ja: string; en: string | null };

async function resolveActorLabels(
  prisma: PrismaClient,
  rows: { actorType: string; actorId: string | null }[],
): Promise<Map<string, TLabel>> {
  const uuid = z.uuid();
  const ids = (type: string) => [
    ...new Set(rows.filter((r) => r.actorType === type && uuid.safeParse(r.actorId).success).map((r) => r.actorId!)),
  ];
  const labels = new Map<string, TLabel>();
  const [partners, staff, proxies] = await Promise.all([
    prisma.partner.findMany({ where: { id: { in: ids("partner") } }, select: { id: true, name: true, nameEn: true } }),
    prisma.staffMember.findMany({ where: { id: { in: ids("staff") } }, select: { id: true, department: true } }),
    prisma.resident.findMany({
      where: { id: { in: ids("proxy") } },
      select: { id: true, familyName: true, givenName: true },
    }),
  ]);
  for (const p of partners) labels.set(`partner:${p.id}`, { ja: p.name, en: p.nameEn });
  for (const s of staff) labels.set(`staff:${s.id}`, { ja: s.department, en: null });
  for (const r of proxies) labels.set(`proxy:${r.id}`, { ja: `${r.familyName}\u3000${r.givenName}`, en: null });
  // Single sign-on releases (lib/oidc) are system events named after the relying party ("oidc:<client_id>").
  const oidcIds = [
    ...new Set(
      rows
        .filter((r) => r.actorType === "system" && r.actorId?.startsWith("oidc:"))
        .map((r) => r.actorId!.slice("oidc:".length)),
    ),
  ];
  if (oidcIds.length > 0) {
    const clients = await prisma.oidcClient.findMany({
      where: { id: { in: oidcIds } },
      select: { id: true, name: true, nameEn: true },
    });
    for (const c of clients) labels.set(`system:oidc:${c.id}`, { ja: c.name, en: c.nameEn });
  }
  return labels;
}
