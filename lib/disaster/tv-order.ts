import { distanceKm } from "../geo/measure";
import type { TDisasterContext } from "./context";

/**
 * What the TV shows full-screen for a resident during a disaster: the ACTIVE evacuation orders of
 * their own district (highest level first) and the nearest open shelters from their household.
 *
 * This is the TV's own small query over EvacuationOrder and Shelter; when the evacuation-order
 * module offers `activeOrderForResident`, the TV can take the order from there instead.
 */
export type TTvOrder = {
  id: string;
  level: number;
  hazard: string;
  message: string;
  messageEn: string | null;
  issuedAt: Date;
  /** The resident's own reply to this order, if any. */
  reply: { status: "SAFE" | "NEEDS_HELP"; repliedAt: Date } | null;
};

export type TTvShelter = {
  id: string;
  name: string;
  nameEn: string;
  address: string;
  /** Straight-line distance from the household; null when the household has no coordinates. */
  distanceKm: number | null;
  /** The shelter is meant for the order's hazard (or lists no hazards). */
  suitsHazard: boolean;
};

export type TTvDisasterView = { orders: TTvOrder[]; shelters: TTvShelter[] };

/** The resident's active orders and up to `shelterLimit` nearest open shelters (none when there is no order). */
export async function tvDisasterView(
  ctx: TDisasterContext,
  o: { residentId: string; shelterLimit?: number },
): Promise<TTvDisasterView> {
  const resident = await ctx.prisma.resident.findUnique({
    where: { id: o.residentId },
    select: { districtId: true, leftAt: true, household: { select: { latitude: true, longitude: true } } },
  });
  if (!resident || resident.leftAt) return { orders: [], shelters: [] };
  const rows = await ctx.prisma.evacuationOrder.findMany({
    where: { districtId: resident.districtId, status: "ACTIVE" },
    orderBy: [{ level: "desc" }, { issuedAt: "desc" }],
    select: {
      id: true,
      level: true,
      hazard: true,
      message: true,
      messageEn: true,
      issuedAt: true,
      safetyReplies: { where: { residentId: o.residentId }, select: { status: true, repliedAt: true } },
    },
  });
  if (rows.length === 0) return { orders: [], shelters: [] };
  const orders = rows.map(({ safetyReplies, ...r }) => ({ ...r, reply: safetyReplies[0] ?? null }));
  const hazards = new Set(orders.map((x) => x.hazard));
  const open = await ctx.prisma.shelter.findMany({
    where: { open: true },
    select: {
      id: true,
      name: true,
      nameEn: true,
      address: true,
      latitude: true,
      longitude: true,
      hazards: true,
      districtId: true,
    },
  });
  const home = resident.household;
  const at =
    home && home.latitude !== null && home.longitude !== null
      ? { latitude: home.latitude, longitude: home.longitude }
      : null;
  const shelters = open
    .map((s) => ({
      id: s.id,
      name: s.name,
      nameEn: s.nameEn,
      address: s.address,
      distanceKm: at ? distanceKm(at, s) : null,
      suitsHazard: s.hazards.length === 0 || s.hazards.some((h) => hazards.has(h)),
      own: s.districtId === resident.districtId,
    }))
    // Suitable first, then nearest (or, without coordinates, the own district's first).
    .sort(
      (a, b) =>
        Number(b.suitsHazard) - Number(a.suitsHazard) ||
        (a.distanceKm ?? (a.own ? 0 : 1)) - (b.distanceKm ?? (b.own ? 0 : 1)) ||
        a.name.localeCompare(b.name),
    )
    .slice(0, o.shelterLimit ?? 3)
    .map(({ own: _own, ...s }) => s);
  return { orders, shelters };
}
