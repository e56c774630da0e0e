import { createHash } from "node:crypto";
import { appendAuditEvents } from "../../audit/append-audit-event";
import type { TRequestMetadata } from "../../audit/schemas";
import { AppError } from "../../errors/app-error";
import { estimateAtHome } from "../at-home";
import { type TDisasterContext, disasterNow } from "../context";
import type { TDistrictStatus, TShelterDashboard, TShelterStatus } from "./schemas";
import { countNeeds, suggestSupplies } from "./supplies";

export type { TDistrictStatus, TShelterDashboard, TShelterStatus } from "./schemas";
import { accountResidents } from "./unaccounted";

/** Staff roles that see the shelter dashboard and open or close shelters. */
export const SHELTER_STAFF_ROLES = ["DISASTER_OFFICER", "ADMIN"] as const;

export function requireShelterStaff(staff: { roles: readonly string[] }): void {
  if (!staff.roles.some((r) => (SHELTER_STAFF_ROLES as readonly string[]).includes(r))) {
    throw new AppError("FORBIDDEN", { message: "Shelters are for disaster officers and administrators." });
  }
}

type TAccounting = {
  districts: (Omit<TDistrictStatus, "unaccounted" | "probablyAtHome"> & { unaccountedIds: string[] })[];
  atHome: Awaited<ReturnType<typeof estimateAtHome>>;
};

async function accounting(ctx: TDisasterContext, now: Date): Promise<TAccounting> {
  const [districts, orders] = await Promise.all([
    ctx.prisma.district.findMany({ select: { id: true, code: true, name: true }, orderBy: { code: "asc" } }),
    ctx.prisma.evacuationOrder.findMany({
      where: { status: "ACTIVE" },
      select: { id: true, districtId: true, level: true, issuedAt: true },
    }),
  ]);
  const ordered = new Set(orders.map((o) => o.districtId));
  const residents = await ctx.prisma.resident.findMany({
    where: { leftAt: null, districtId: { in: [...ordered] } },
    select: { id: true, districtId: true },
  });
  const ids = residents.map((r) => r.id);
  const [replies, open] = await Promise.all([
    ctx.prisma.safetyReply.findMany({
      where: { orderId: { in: orders.map((o) => o.id) }, residentId: { in: ids } },
      select: { residentId: true, order: { select: { districtId: true } }, resident: { select: { districtId: true } } },
    }),
    ctx.prisma.shelterCheckIn.findMany({
      where: { checkedOutAt: null, residentId: { in: ids } },
      select: { residentId: true },
    }),
  ]);
  const replied = new Set(replies.filter((r) => r.order.districtId === r.resident.districtId).map((r) => r.residentId));
  const acc = accountResidents({ residents, replied, checkedIn: new Set(open.map((o) => o.residentId)) });
  const out: TAccounting["districts"] = [];
  let earliest: Date | null = null;
  for (const d of districts) {
    const own = orders.filter((o) => o.districtId === d.id);
    const since = own.length ? new Date(Math.min(...own.map((o) => o.issuedAt.getTime()))) : null;
    if (since && (!earliest || since < earliest)) earliest = since;
    const a = acc.get(d.id);
    out.push({
      districtId: d.id,
      code: d.code,
      name: d.name,
      level: own.length ? Math.max(...own.map((o) => o.level)) : null,
      since: since?.toISOString() ?? null,
      residents: a?.residents ?? 0,
      replied: a?.replied ?? 0,
      checkedIn: a?.checkedIn ?? 0,
      unaccountedIds: a?.unaccounted ?? [],
    });
  }
  // The at-home estimate counts only activity since the district's own order was issued.
  const atHome = new Map<string, Awaited<ReturnType<typeof estimateAtHome>> extends Map<string, infer V> ? V : never>();
  for (const d of out) {
    if (!d.since || d.unaccountedIds.length === 0) continue;
    const est = await estimateAtHome(ctx, { residentIds: d.unaccountedIds, since: new Date(d.since), until: now });
    for (const [k, v] of est) atHome.set(k, v);
  }
  return { districts: out, atHome };
}

/**
 * The live dashboard: per shelter head count, capacity, occupancy, needs of those checked in and
 * supply suggestions; per district the accounting under its active orders (replied, checked in,
 * not yet accounted for, and of those "probably at home"). Counts only: it is what the stream
 * sends every time something changed, so it names no one and needs no audit event.
 */
export async function shelterDashboard(ctx: TDisasterContext): Promise<TShelterDashboard> {
  const now = disasterNow(ctx);
  const [shelters, open, acc] = await Promise.all([
    ctx.prisma.shelter.findMany({
      select: {
        id: true,
        code: true,
        name: true,
        nameEn: true,
        kind: true,
        latitude: true,
        longitude: true,
        capacity: true,
        open: true,
        features: true,
        district: { select: { code: true } },
      },
      orderBy: { code: "asc" },
    }),
    ctx.prisma.shelterCheckIn.findMany({
      where: { checkedOutAt: null },
      select: { shelterId: true, resident: { select: { needs: true, dateOfBirth: true } } },
    }),
    accounting(ctx, now),
  ]);
  const byShelter = new Map<string, { needs: string[]; dateOfBirth: Date }[]>();
  for (const c of open) {
    const list = byShelter.get(c.shelterId) ?? [];
    list.push(c.resident);
    byShelter.set(c.shelterId, list);
  }
  const shelterRows: TShelterStatus[] = shelters.map((s) => {
    const people = byShelter.get(s.id) ?? [];
    return {
      id: s.id,
      code: s.code,
      name: s.name,
      nameEn: s.nameEn,
      kind: s.kind,
      districtCode: s.district.code,
      latitude: s.latitude,
      longitude: s.longitude,
      capacity: s.capacity,
      open: s.open,
      features: s.features,
      headCount: people.length,
      occupancyPercent: s.capacity > 0 ? Math.round((people.length / s.capacity) * 100) : 0,
      needs: countNeeds(people),
      supplies: suggestSupplies(people, { now }),
    };
  });
  const districts: TDistrictStatus[] = acc.districts.map(({ unaccountedIds, ...d }) => ({
    ...d,
    unaccounted: unaccountedIds.length,
    probablyAtHome: unaccountedIds.filter((id) => acc.atHome.has(id)).length,
  }));
  const version = createHash("sha256").update(JSON.stringify({ shelterRows, districts })).digest("hex").slice(0, 16);
  return { at: now.toISOString(), shelters: shelterRows, districts, version };
}

export type TUnaccountedResident = {
  residentId: string;
  name: string;
  districtCode: string;
  address: string;
  needs: string[];
  /** "Probably at home": the last set-top-box activity since the order was issued. */
  lastActivityAt: string | null;
};

/**
 * The named list of residents not yet accounted for (for staff to call or visit): audited once
 * per listed resident as `disaster.unaccounted_viewed` in their access log, in one transaction.
 * Only for DISASTER_OFFICER / ADMIN.
 */
export async function listUnaccounted(
  ctx: TDisasterContext,
  o: { staff: { staffId: string; roles: readonly string[] }; requestMetadata?: TRequestMetadata; limit?: number },
): Promise<TUnaccountedResident[]> {
  requireShelterStaff(o.staff);
  const now = disasterNow(ctx);
  const acc = await accounting(ctx, now);
  const ids = acc.districts.flatMap((d) => d.unaccountedIds).slice(0, o.limit ?? 500);
  if (ids.length === 0) return [];
  const codeOf = new Map(acc.districts.map((d) => [d.districtId, d.code]));
  const rows = await ctx.prisma.resident.findMany({
    where: { id: { in: ids } },
    select: { id: true, familyName: true, givenName: true, districtId: true, address: true, needs: true },
    orderBy: [{ districtId: "asc" }, { familyNameKana: "asc" }, { givenNameKana: "asc" }],
  });
  await ctx.prisma.$transaction((tx) =>
    appendAuditEvents(
      tx,
      rows.map((r) => ({
        type: "disaster.unaccounted_viewed" as const,
        actor: { type: "staff" as const, id: o.staff.staffId },
        subjectResidentId: r.id,
        purpose: "災害時の安否確認（未確認者の把握）",
        channel: "console" as const,
        requestMetadata: o.requestMetadata,
      })),
    ),
  );
  return rows.map((r) => ({
    residentId: r.id,
    name: `${r.familyName} ${r.givenName}`,
    districtCode: codeOf.get(r.districtId) ?? "",
    address: r.address,
    needs: r.needs,
    lastActivityAt: acc.atHome.get(r.id)?.lastActivityAt.toISOString() ?? null,
  }));
}
