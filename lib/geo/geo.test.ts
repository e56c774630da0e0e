import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { districtGeometryOf } from "./geometry";
import { containsPoint, distanceKm, districtContaining } from "./measure";
import { projectDistrictMap } from "./project";

const town = JSON.parse(readFileSync("prisma/seed/geo/demo-town.geojson", "utf8")) as {
  features: { properties: { code: string }; geometry: unknown }[];
};
const districts = town.features.map((f) => ({ code: f.properties.code, geometry: districtGeometryOf(f.geometry) }));

describe("lib/geo", () => {
  it("reads every demo district outline", () => {
    expect(districts).toHaveLength(6);
    for (const d of districts) expect(d.geometry?.type).toBe("Polygon");
    expect(districtGeometryOf({ type: "Point", coordinates: [0, 0] })).toBeNull();
    expect(districtGeometryOf({ type: "Polygon", coordinates: [[[0, 0]]] })).toBeNull();
  });

  it("finds the district a point lies in, whatever the ring orientation", () => {
    const minatomachi = districts.find((d) => d.code === "36999-01")!;
    const inside = { latitude: 33.93, longitude: 134.65 };
    expect(containsPoint(minatomachi.geometry!, inside)).toBe(true);
    expect(districtContaining(districts, inside)?.code).toBe("36999-01");
    expect(districtContaining(districts, { latitude: 35.68, longitude: 139.76 })).toBeNull();
    const reversed = {
      type: "Polygon" as const,
      coordinates: (minatomachi.geometry as { coordinates: number[][][] }).coordinates.map((r) => [...r].reverse()),
    };
    expect(containsPoint(reversed as never, inside)).toBe(true);
    expect(containsPoint(reversed as never, { latitude: 33.905, longitude: 134.605 })).toBe(false);
  });

  it("measures great-circle distance in kilometres", () => {
    const d = distanceKm({ latitude: 33.9, longitude: 134.6 }, { latitude: 34.0, longitude: 134.6 });
    expect(d).toBeGreaterThan(11.0);
    expect(d).toBeLessThan(11.2);
  });

  it("lays out outlines and points inside the drawing", () => {
    const map = projectDistrictMap(
      districts.map((d) => ({ code: d.code, geometry: d.geometry! })),
      [{ id: "p", latitude: 33.93, longitude: 134.65 }],
      { width: 600, height: 400 },
    );
    expect(map.districts.every((d) => d.path.startsWith("M"))).toBe(true);
    for (const d of map.districts) {
      expect(d.labelAt[0]).toBeGreaterThan(0);
      expect(d.labelAt[0]).toBeLessThan(600);
    }
    const [p] = map.points;
    expect(p!.x).toBeGreaterThan(16);
    expect(p!.x).toBeLessThan(584);
    expect(p!.y).toBeGreaterThan(16);
    expect(p!.y).toBeLessThan(384);
  });
});
