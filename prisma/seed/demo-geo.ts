import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { districtGeometryOf, type TDistrictGeometry, type TGeoPoint } from "@/lib/geo/geometry";

const GEOJSON_PATH = path.join(path.dirname(fileURLToPath(import.meta.url)), "geo", "demo-town.geojson");

let outlines: Map<string, TDistrictGeometry> | undefined;

/** The demo town's district outlines (prisma/seed/geo/demo-town.geojson), by district code. */
export function demoDistrictOutlines(): Map<string, TDistrictGeometry> {
  if (!outlines) {
    const collection = JSON.parse(readFileSync(GEOJSON_PATH, "utf8")) as {
      features: { properties: { code: string }; geometry: unknown }[];
    };
    outlines = new Map();
    for (const f of collection.features) {
      const geometry = districtGeometryOf(f.geometry);
      if (!geometry) throw new Error(`demo-town.geojson: district ${f.properties.code} has no usable outline`);
      outlines.set(f.properties.code, geometry);
    }
  }
  return outlines;
}

/**
 * A fixed point inside the district for a household, derived from the household's code (not
 * from the seed's random stream, so adding coordinates changed no other demo value). The demo
 * outlines are convex quadrilaterals: a bilinear blend of the corners with weights in
 * [0.12, 0.88] stays inside.
 */
export function demoHouseholdPoint(householdCode: string, geometry: TDistrictGeometry): TGeoPoint {
  const ring = geometry.type === "Polygon" ? geometry.coordinates[0]! : geometry.coordinates[0]![0]!;
  const [sw, se, ne, nw] = ring as [number, number][];
  const digest = createHash("sha256").update(householdCode).digest();
  const u = 0.12 + (digest.readUInt16BE(0) / 0xffff) * 0.76;
  const v = 0.12 + (digest.readUInt16BE(2) / 0xffff) * 0.76;
  const blend = (i: 0 | 1) => (1 - u) * (1 - v) * sw![i] + u * (1 - v) * se![i] + u * v * ne![i] + (1 - u) * v * nw![i];
  return { longitude: Math.round(blend(0) * 1e6) / 1e6, latitude: Math.round(blend(1) * 1e6) / 1e6 };
}
