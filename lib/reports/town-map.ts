import type { LineString } from "geojson";
import type { PrismaClient } from "../db/client";
import { districtGeometryOf, type TDistrictGeometry } from "../geo/geometry";

/** The districts with outlines, for `<DistrictMap>` areas. */
export async function townDistricts(
  prisma: PrismaClient,
): Promise<{ code: string; name: string; nameEn: string; geometry: TDistrictGeometry }[]> {
  const rows = await prisma.district.findMany({
    select: { code: true, name: true, nameEn: true, geometry: true },
    orderBy: { code: "asc" },
  });
  return rows.flatMap((d) => {
    const geometry = districtGeometryOf(d.geometry);
    return geometry ? [{ code: d.code, name: d.name, nameEn: d.nameEn, geometry }] : [];
  });
}

/** The middle vertex-interpolated point of a road line (where the map puts the segment's marker). */
export function lineMidpoint(line: LineString): { latitude: number; longitude: number } {
  const c = line.coordinates;
  const a = c[Math.floor((c.length - 1) / 2)]!;
  const b = c[Math.ceil((c.length - 1) / 2)]!;
  return { longitude: (a[0]! + b[0]!) / 2, latitude: (a[1]! + b[1]!) / 2 };
}
