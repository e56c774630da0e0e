import type { MultiPolygon, Polygon } from "geojson";
import { z } from "zod";

const ZPosition = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
const ZRing = z.array(ZPosition).min(4);

/** A district outline as stored in District.geometry: a GeoJSON Polygon or MultiPolygon (WGS 84). */
export const ZDistrictGeometry = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("Polygon"), coordinates: z.array(ZRing).min(1) }),
  z.strictObject({ type: z.literal("MultiPolygon"), coordinates: z.array(z.array(ZRing).min(1)).min(1) }),
]);

export type TDistrictGeometry = Polygon | MultiPolygon;

/** The stored JSON as a district outline, or null when it is absent or not one. */
export function districtGeometryOf(json: unknown): TDistrictGeometry | null {
  const parsed = ZDistrictGeometry.safeParse(json);
  return parsed.success ? (parsed.data as TDistrictGeometry) : null;
}

/** A point on the map (WGS 84 degrees). */
export type TGeoPoint = { latitude: number; longitude: number };
