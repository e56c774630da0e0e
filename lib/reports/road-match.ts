import type { LineString } from "geojson";
import { z } from "zod";
import type { TGeoPoint } from "../geo/geometry";

const ZPosition = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
/** A road segment's geometry as stored in RoadSegment.geometry: a GeoJSON LineString (WGS 84). */
export const ZRoadGeometry = z.strictObject({ type: z.literal("LineString"), coordinates: z.array(ZPosition).min(2) });

export function roadGeometryOf(json: unknown): LineString | null {
  const parsed = ZRoadGeometry.safeParse(json);
  return parsed.success ? (parsed.data as LineString) : null;
}

/** A point is matched to the nearest segment only within this distance (metres). */
export const MATCH_DISTANCE_M = 40;
const EARTH_RADIUS_M = 6_371_008.8;

/**
 * Distance in metres from a point to a polyline, on a local equirectangular projection around the
 * point (exact enough over a town: errors are far below a metre at a few hundred metres).
 */
export function distanceToLineM(point: TGeoPoint, line: LineString): number {
  const rad = Math.PI / 180;
  const cosLat = Math.cos(point.latitude * rad);
  const xy = ([lng, lat]: number[]): [number, number] => [
    (lng! - point.longitude) * rad * cosLat * EARTH_RADIUS_M,
    (lat! - point.latitude) * rad * EARTH_RADIUS_M,
  ];
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i + 1 < line.coordinates.length; i++) {
    const [ax, ay] = xy(line.coordinates[i]!);
    const [bx, by] = xy(line.coordinates[i + 1]!);
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    // Projection of the origin (the point) onto the piece, clamped to its ends.
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
    best = Math.min(best, Math.hypot(ax + t * dx, ay + t * dy));
  }
  return best;
}

/** The nearest segment within {@link MATCH_DISTANCE_M}, or null (map-matching by nearest segment). */
export function nearestSegment<T extends { geometry: LineString | null }>(
  segments: readonly T[],
  point: TGeoPoint,
  maxDistanceM = MATCH_DISTANCE_M,
): T | null {
  let best: T | null = null;
  let bestD = maxDistanceM;
  for (const s of segments) {
    if (!s.geometry) continue;
    const d = distanceToLineM(point, s.geometry);
    if (d <= bestD) {
      best = s;
      bestD = d;
    }
  }
  return best;
}
