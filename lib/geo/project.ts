import type { Feature, FeatureCollection } from "geojson";
import { geoCentroid, geoMercator, geoPath } from "d3-geo";
import type { TDistrictGeometry, TGeoPoint } from "./geometry";
import { forSphericalUse } from "./measure";

export type TMapDistrictInput = { code: string; geometry: TDistrictGeometry };
export type TMapPointInput = TGeoPoint & { id: string };

export type TProjectedDistrict = { code: string; path: string; labelAt: [number, number] };
export type TProjectedPoint = { id: string; x: number; y: number };
export type TProjectedMap = {
  width: number;
  height: number;
  districts: TProjectedDistrict[];
  points: TProjectedPoint[];
};

/**
 * The district map laid out for an SVG of the given size: each outline as an SVG path and each
 * point in the same pixel space (Mercator, fitted to the districts with a margin). Pure and
 * synchronous, so a server component can draw the map with no tile server and no client script.
 */
export function projectDistrictMap(
  districts: readonly TMapDistrictInput[],
  points: readonly TMapPointInput[],
  size: { width: number; height: number; margin?: number },
): TProjectedMap {
  const margin = size.margin ?? 16;
  const features: Feature[] = districts.map((d) => ({
    type: "Feature",
    properties: { code: d.code },
    geometry: forSphericalUse(d.geometry),
  }));
  const collection: FeatureCollection = { type: "FeatureCollection", features };
  const projection = geoMercator();
  if (features.length > 0) {
    projection.fitExtent(
      [
        [margin, margin],
        [size.width - margin, size.height - margin],
      ],
      collection,
    );
  }
  const path = geoPath(projection);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    width: size.width,
    height: size.height,
    districts: features.map((f, i) => {
      const [x, y] = projection(geoCentroid(f)) ?? [0, 0];
      return { code: districts[i]!.code, path: path(f) ?? "", labelAt: [round(x), round(y)] };
    }),
    points: points.flatMap((p) => {
      const xy = projection([p.longitude, p.latitude]);
      return xy ? [{ id: p.id, x: round(xy[0]), y: round(xy[1]) }] : [];
    }),
  };
}
