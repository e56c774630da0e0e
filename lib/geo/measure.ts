import { geoArea, geoContains } from "d3-geo";
import type { TDistrictGeometry, TGeoPoint } from "./geometry";

const EARTH_RADIUS_KM = 6371.0088;

const RADIANS = Math.PI / 180;

/**
 * Great-circle distance in kilometres: d3-geo's geoDistance formula (the spherical Vincenty
 * form, atan2 of the cross and dot products) written out, without its compensated-sum stream —
 * it runs once per resident and shelter when an order is issued.
 */
export function distanceKm(a: TGeoPoint, b: TGeoPoint): number {
  const phi0 = a.latitude * RADIANS;
  const phi1 = b.latitude * RADIANS;
  const delta = Math.abs((b.longitude - a.longitude) * RADIANS);
  const sinPhi0 = Math.sin(phi0);
  const cosPhi0 = Math.cos(phi0);
  const sinPhi1 = Math.sin(phi1);
  const cosPhi1 = Math.cos(phi1);
  const cosDelta = Math.cos(delta);
  const x = cosPhi1 * Math.sin(delta);
  const y = cosPhi0 * sinPhi1 - sinPhi0 * cosPhi1 * cosDelta;
  const z = sinPhi0 * sinPhi1 + cosPhi0 * cosPhi1 * cosDelta;
  return Math.atan2(Math.sqrt(x * x + y * y), z) * EARTH_RADIUS_KM;
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
