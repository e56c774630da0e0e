import { describe, expect, it } from "vitest";
import { instructionLanguage, nearestSuitedShelters, shelterSuitsHazard, type TTargetShelter } from "./targeting";

const HOME = { latitude: 33.9, longitude: 134.6 };
/** A shelter `km` kilometres north of HOME (1° latitude ≈ 111.2 km). */
function shelter(code: string, km: number, over: Partial<TTargetShelter> = {}): TTargetShelter {
  return {
    id: code,
    code,
    name: `避難所${code}`,
    nameEn: `Shelter ${code}`,
    kind: "DESIGNATED",
    address: `住所${code}`,
    latitude: HOME.latitude + km / 111.2,
    longitude: HOME.longitude,
    open: true,
    features: [],
    languages: ["ja"],
    hazards: [],
    ...over,
  };
}
const codes = (list: { code: string }[]) => list.map((s) => s.code);
const plain = { needs: [], language: "ja", home: HOME };

describe("nearestSuitedShelters", () => {
  it("gives the three nearest open shelters, nearest first, with distances", () => {
    const list = [
      shelter("D", 4),
      shelter("A", 1),
      shelter("C", 3),
      shelter("B", 2),
      shelter("X", 0.5, { open: false }),
    ];
    const got = nearestSuitedShelters(plain, list, "FLOOD");
    expect(codes(got)).toEqual(["A", "B", "C"]);
    expect(got[0]!.distanceKm).toBeCloseTo(1, 1);
    expect(got.every((s) => s.meetsNeeds && s.speaksLanguage)).toBe(true);
  });

  it("offers only shelters safe for the hazard (listed, or listing none)", () => {
    const list = [
      shelter("near-landslide-only", 1, { hazards: ["LANDSLIDE"] }),
      shelter("flood", 2, { hazards: ["FLOOD", "TSUNAMI"] }),
      shelter("any", 3),
    ];
    expect(codes(nearestSuitedShelters(plain, list, "FLOOD"))).toEqual(["flood", "any"]);
    expect(shelterSuitsHazard({ hazards: [] }, "FIRE")).toBe(true);
    expect(shelterSuitsHazard({ hazards: ["FLOOD"] }, "FIRE")).toBe(false);
  });

  it("requires every wheelchair / medical-device need, and puts welfare shelters first for care", () => {
    const list = [
      shelter("near", 1),
      shelter("ramp", 2, { features: ["wheelchair"] }),
      shelter("ramp-power", 5, { features: ["wheelchair", "medical_device"] }),
      shelter("welfare-far", 8, { kind: "WELFARE", features: ["care", "wheelchair"] }),
      shelter("care-near", 3, { features: ["care", "wheelchair"] }),
    ];
    expect(codes(nearestSuitedShelters({ ...plain, needs: ["wheelchair"] }, list, "FLOOD"))).toEqual([
      "ramp",
      "care-near",
      "ramp-power",
    ]);
    expect(codes(nearestSuitedShelters({ ...plain, needs: ["wheelchair", "medical_device"] }, list, "FLOOD"))).toEqual([
      "ramp-power",
    ]);
    expect(codes(nearestSuitedShelters({ ...plain, needs: ["care"] }, list, "FLOOD"))).toEqual([
      "welfare-far",
      "care-near",
    ]);
    // A need no shelter requires (an interpreter) does not filter.
    expect(codes(nearestSuitedShelters({ ...plain, needs: ["interpreter"] }, list, "FLOOD"))[0]).toBe("near");
  });

  it("falls back to the nearest safe shelters, marked, when none offers her needs", () => {
    const list = [shelter("a", 1), shelter("b", 2)];
    const got = nearestSuitedShelters({ ...plain, needs: ["medical_device"] }, list, "FLOOD");
    expect(codes(got)).toEqual(["a", "b"]);
    expect(got.every((s) => !s.meetsNeeds)).toBe(true);
  });

  it("prefers shelters whose staff speak her language (primary subtag), then distance", () => {
    const list = [
      shelter("ja-near", 1),
      shelter("pt-far", 6, { languages: ["ja", "pt-BR"] }),
      shelter("en", 4, { languages: ["en"] }),
    ];
    expect(codes(nearestSuitedShelters({ ...plain, language: "pt" }, list, "FLOOD"))).toEqual([
      "pt-far",
      "ja-near",
      "en",
    ]);
    expect(codes(nearestSuitedShelters({ ...plain, language: "en-GB" }, list, "FLOOD"))[0]).toBe("en");
    expect(instructionLanguage("ja-JP")).toBe("ja");
    expect(instructionLanguage("vi")).toBe("en");
  });

  it("without a home position keeps every suited shelter, by code, with no distance", () => {
    const got = nearestSuitedShelters({ ...plain, home: null }, [shelter("b", 1), shelter("a", 2)], "FLOOD");
    expect(codes(got)).toEqual(["a", "b"]);
    expect(got[0]!.distanceKm).toBeNull();
  });
});
