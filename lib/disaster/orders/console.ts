import type { TDistrictGeometry } from "../../geo/geometry";
import { districtGeometryOf } from "../../geo/geometry";
import type { TDisasterContext } from "../context";
import { assertOrderStaff, type TOrderStaff } from "./orders";
import type { TDisasterHazard } from "./targeting";

export type TConsoleOrder = {
  id: string;
  districtId: string;
  districtCode: string;
  districtName: string;
  districtNameEn: string;
  hazard: TDisasterHazard;
  level: number;
  status: "ACTIVE" | "LIFTED";
  message: string;
  messageEn: string | null;
  escalateAfterMinutes: number;
  issuedAt: Date;
  liftedAt: Date | null;
  issuedBy: string;
  /** Residents the order reaches (its district, not left, not sandbox). */
  residents: number;
  read: number;
  unread: number;
  escalated: number;
  safe: number;
  needsHelp: number;
};

export type TConsoleDistrict = {
  id: string;
  code: string;
  name: string;
  nameEn: string;
  geometry: TDistrictGeometry | null;
  /** The highest level of the district's active orders, 0 when none. */
  level: number;
};

/**
 * The disaster officer's overview: every order (active first, then the latest lifted ones) with
 * per-order counts — residents reached, notices read / unread / escalated, safety replies safe /
 * needs help — and each district with its current highest level for the map. Counts only, no
 * resident's data.
 */
export async function disasterConsole(
  ctx: TDisasterContext,
  o: { staff: TOrderStaff; liftedLimit?: number },
): Promise<{ orders: TConsoleOrder[]; districts: TConsoleDistrict[] }> {
  assertOrderStaff(o.staff);
  const orders = await ctx.prisma.$queryRaw<(Omit<TConsoleOrder, "issuedBy"> & { issuedBy: string | null })[]>`
    WITH o AS (
      (SELECT * FROM "EvacuationOrder" WHERE "status" = 'ACTIVE')
      UNION ALL
      (SELECT * FROM "EvacuationOrder" WHERE "status" = 'LIFTED' ORDER BY "liftedAt" DESC LIMIT ${o.liftedLimit ?? 20})
    )
    SELECT o."id", o."districtId", d."code" AS "districtCode", d."name" AS "districtName", d."nameEn" AS "districtNameEn",
           o."hazard"::text AS "hazard", o."level", o."status"::text AS "status", o."message", o."messageEn",
           o."escalateAfterMinutes", o."issuedAt", o."liftedAt",
           (SELECT r."familyName" || ' ' || r."givenName" FROM "StaffMember" s JOIN "Resident" r ON r."id" = s."residentId"
             WHERE s."id" = o."issuedById") AS "issuedBy",
           (SELECT count(*)::int FROM "Resident" r WHERE r."districtId" = o."districtId" AND r."leftAt" IS NULL AND r."sandbox" = false) AS "residents",
           (SELECT count(*)::int FROM "EvacuationNotice" n WHERE n."orderId" = o."id" AND n."readAt" IS NOT NULL) AS "read",
           (SELECT count(*)::int FROM "EvacuationNotice" n WHERE n."orderId" = o."id" AND n."readAt" IS NULL) AS "unread",
           (SELECT count(*)::int FROM "EvacuationNotice" n WHERE n."orderId" = o."id" AND n."escalatedAt" IS NOT NULL) AS "escalated",
           (SELECT count(*)::int FROM "SafetyReply" s WHERE s."orderId" = o."id" AND s."status" = 'SAFE') AS "safe",
           (SELECT count(*)::int FROM "SafetyReply" s WHERE s."orderId" = o."id" AND s."status" = 'NEEDS_HELP') AS "needsHelp"
      FROM o JOIN "District" d ON d."id" = o."districtId"
     ORDER BY (o."status" = 'ACTIVE') DESC, o."level" DESC, d."code", o."issuedAt" DESC`;
  const districts = await districtOutlines(ctx);
  const levelOf = new Map<string, number>();
  for (const order of orders) {
    if (order.status === "ACTIVE")
      levelOf.set(order.districtId, Math.max(levelOf.get(order.districtId) ?? 0, order.level));
  }
  return {
    orders: orders.map((r) => ({ ...r, issuedBy: r.issuedBy ?? "" })),
    districts: districts.map((d) => ({
      id: d.id,
      code: d.code,
      name: d.name,
      nameEn: d.nameEn,
      geometry: d.geometry,
      level: levelOf.get(d.id) ?? 0,
    })),
  };
}

/** Every district with its outline (null when none is stored), for maps. */
export async function districtOutlines(
  ctx: TDisasterContext,
): Promise<{ id: string; code: string; name: string; nameEn: string; geometry: TDistrictGeometry | null }[]> {
  const rows = await ctx.prisma.district.findMany({
    orderBy: { code: "asc" },
    select: { id: true, code: true, name: true, nameEn: true, geometry: true },
  });
  return rows.map((d) => ({ ...d, geometry: districtGeometryOf(d.geometry) }));
}
