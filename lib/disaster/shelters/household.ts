import { appendAuditEvents } from "../../audit/append-audit-event";
import type { TAuditChannel, TRequestMetadata } from "../../audit/schemas";
import { listProxyPrincipals } from "../../proxies/list-proxy-principals";
import { type TDisasterContext, disasterNow } from "../context";

export type TFamilyMemberStatus = {
  residentId: string;
  name: string;
  /** self, a member of the same household, or a principal who granted her a proxy for the disaster domain. */
  relation: "self" | "household" | "proxy";
  /** The reply to an active order of the member's district, if any. */
  safety: { status: "SAFE" | "NEEDS_HELP"; repliedAt: string } | null;
  /** The open shelter check-in, if any. */
  shelter: { code: string; name: string; nameEn: string; checkedInAt: string } | null;
  /** Whether the member's district is under an active order now. */
  underOrder: boolean;
};

/** The proxy domain a grant must include for the family view to show the principal. */
export const FAMILY_VIEW_PROXY_DOMAIN = "disaster";

/**
 * A resident's family view in a disaster: herself, the other members of her household, and the
 * principals who granted her a working proxy that includes the disaster domain — for each their
 * safety reply under the active order of their district and their open shelter check-in. Seeing
 * another person's status is access to their data: one `disaster.household_status_viewed` event
 * per other member, in their access log (actor: the resident, or "proxy" for a principal).
 */
export async function familyStatus(
  ctx: TDisasterContext,
  o: { residentId: string; channel?: TAuditChannel; requestMetadata?: TRequestMetadata },
): Promise<TFamilyMemberStatus[]> {
  const now = disasterNow(ctx);
  const me = await ctx.prisma.resident.findUniqueOrThrow({
    where: { id: o.residentId },
    select: { householdId: true },
  });
  const [household, principals] = await Promise.all([
    ctx.prisma.resident.findMany({
      where: { householdId: me.householdId, leftAt: null },
      select: { id: true },
      orderBy: { dateOfBirth: "asc" },
    }),
    listProxyPrincipals(ctx.prisma, { proxyId: o.residentId, now }),
  ]);
  const relation = new Map<string, TFamilyMemberStatus["relation"]>();
  relation.set(o.residentId, "self");
  for (const m of household) if (!relation.has(m.id)) relation.set(m.id, "household");
  for (const p of principals) {
    if (p.domains.includes(FAMILY_VIEW_PROXY_DOMAIN) && !relation.has(p.principalId)) {
      relation.set(p.principalId, "proxy");
    }
  }
  const ids = [...relation.keys()];
  const [people, orders, checkIns] = await Promise.all([
    ctx.prisma.resident.findMany({
      where: { id: { in: ids } },
      select: { id: true, familyName: true, givenName: true, districtId: true },
    }),
    ctx.prisma.evacuationOrder.findMany({
      where: { status: "ACTIVE" },
      select: {
        id: true,
        districtId: true,
        safetyReplies: {
          where: { residentId: { in: ids } },
          select: { residentId: true, status: true, repliedAt: true },
        },
      },
    }),
    ctx.prisma.shelterCheckIn.findMany({
      where: { residentId: { in: ids }, checkedOutAt: null },
      select: {
        residentId: true,
        checkedInAt: true,
        shelter: { select: { code: true, name: true, nameEn: true } },
      },
    }),
  ]);
  const byId = new Map(people.map((p) => [p.id, p]));
  const out: TFamilyMemberStatus[] = [];
  for (const id of ids) {
    const p = byId.get(id);
    if (!p) continue;
    const own = orders.filter((x) => x.districtId === p.districtId);
    const replies = own
      .flatMap((x) => x.safetyReplies)
      .filter((r) => r.residentId === id)
      .sort((a, b) => b.repliedAt.getTime() - a.repliedAt.getTime());
    const c = checkIns.find((x) => x.residentId === id);
    out.push({
      residentId: id,
      name: `${p.familyName} ${p.givenName}`,
      relation: relation.get(id) ?? "household",
      safety: replies[0] ? { status: replies[0].status, repliedAt: replies[0].repliedAt.toISOString() } : null,
      shelter: c ? { ...c.shelter, checkedInAt: c.checkedInAt.toISOString() } : null,
      underOrder: own.length > 0,
    });
  }
  const others = out.filter((m) => m.relation !== "self");
  if (others.length > 0) {
    await ctx.prisma.$transaction((tx) =>
      appendAuditEvents(
        tx,
        others.map((m) => ({
          type: "disaster.household_status_viewed" as const,
          actor: { type: m.relation === "proxy" ? ("proxy" as const) : ("resident" as const), id: o.residentId },
          subjectResidentId: m.residentId,
          purpose: "家族の安否・避難状況の確認",
          channel: o.channel ?? "pc",
          requestMetadata: o.requestMetadata,
          data: { relation: m.relation },
        })),
      ),
    );
  }
  return out;
}
