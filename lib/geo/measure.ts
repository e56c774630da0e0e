import { geoArea, geoContains, geoDistance } from "d3-geo";
import type { TDistrictGeometry, TGeoPoint } from "./geometry";

const EARTH_RADIUS_KM = 6371.0088;

/** Great-circle distance in kilometres. */
export function distanceKm(a: TGeoPoint, b: TGeoPoint): number {
  return geoDistance([a.longitude, a.latitude], [b.longitude, b.latitude]) * EARTH_RADIUS_KM;
}

/**
 * The geometry with the ring orientation d3-geo expects. GeoJSON (RFC 7946) winds exterior rings
 * counterclockwise; d3-geo reads such a ring as "everything but the polygon". A polygon that
 * covers more than a hemisphere is therefore turned around.
 */
export function forSphericalUse(geometry: TDistrictGeometry): TDistrictGeometry {
  if (geoArea(geometry) <= 2 * Math.PI) return geometry;
  if (geometry.type === "Polygon") {
    return { type: "Polygon", coordinates: geometry.coordinates.map((ring) => [...ring].reverse()) };
  }
  return {
    type: "MultiPolygon",
    coordinates: geometry.coordinates.map((polygon) => polygon.map((ring) => [...ring].reverse())),
  };
}

/** Whether the point lies in the district outline. */
export function containsPoint(geometry: TDistrictGeometry, point: TGeoPoint): boolean {
  return geoContains(forSphericalUse(geometry), [point.longitude, point.latitude]);
}

/** The first district whose outline contains the point, or null (outside the mapped town). */
export function districtContaining<T extends { geometry: TDistrictGeometry | null }>(
  districts: readonly T[],
  point: TGeoPoint,
): T | null {
  return districts.find((d) => d.geometry !== null && containsPoint(d.geometry, point)) ?? null;
}
