import { describe, expect, it } from "vitest";
import { ageOn } from "./age";
import { countNeeds, SUPPLY_RULES, suggestSupplies } from "./supplies";
import { accountResidents } from "./unaccounted";

const NOW = new Date("2026-12-07T03:00:00Z");
const born = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe("ageOn", () => {
  it("counts full years on the day in Japan", () => {
    expect(ageOn(born("2011-12-07"), NOW)).toBe(15);
    expect(ageOn(born("2011-12-08"), NOW)).toBe(14);
    // 2026-12-07T20:00Z is already the 8th in Japan.
    expect(ageOn(born("2011-12-08"), new Date("2026-12-07T20:00:00Z"))).toBe(15);
  });
});

describe("suggestSupplies", () => {
  it("gives water 3 L and 3 meals per person per day, toilets per 50, each with its rule", () => {
    const people = Array.from({ length: 51 }, () => ({ needs: [], dateOfBirth: born("1980-01-01") }));
    const lines = suggestSupplies(people, { now: NOW, days: 2 });
    expect(lines.map((l) => [l.id, l.people, l.quantity])).toEqual([
      ["water", 51, 306],
      ["meals", 51, 306],
      ["toilets", 51, 2],
    ]);
    expect(lines[0]!.rule).toEqual({ ja: "1人1日3L", en: "3 L per person per day" });
  });

  it("adds formula for infants, diapers under 3, care goods, power for medical devices and wheelchair places", () => {
    const people = [
      { needs: [], dateOfBirth: born("2026-06-01") }, // infant
      { needs: [], dateOfBirth: born("2024-06-01") }, // 2 years
      { needs: ["care", "wheelchair"], dateOfBirth: born("1940-01-01") },
      { needs: ["medical_device"], dateOfBirth: born("1950-01-01") },
    ];
    const byId = new Map(suggestSupplies(people, { now: NOW }).map((l) => [l.id, l]));
    expect(byId.get("infant_formula")).toMatchObject({ people: 1, quantity: 8 });
    expect(byId.get("diapers")).toMatchObject({ people: 2, quantity: 16 });
    expect(byId.get("care_goods")).toMatchObject({ people: 1, quantity: 6 });
    expect(byId.get("power")).toMatchObject({ people: 1, quantity: 2 });
    expect(byId.get("wheelchair_space")).toMatchObject({ people: 1, quantity: 1 });
    expect(byId.get("water")).toMatchObject({ people: 4, quantity: 12 });
  });

  it("suggests nothing for an empty shelter, and every rule has its text in both languages", () => {
    expect(suggestSupplies([], { now: NOW })).toEqual([]);
    for (const r of SUPPLY_RULES) {
      expect(r.rule.ja.length * r.rule.en.length * r.item.ja.length * r.item.en.length).toBeGreaterThan(0);
    }
  });

  it("counts each need once per person", () => {
    expect(countNeeds([{ needs: ["wheelchair", "wheelchair"] }, { needs: ["wheelchair", "hearing"] }])).toEqual([
      { need: "wheelchair", count: 2 },
      { need: "hearing", count: 1 },
    ]);
  });
});

describe("accountResidents", () => {
  it("counts a resident as accounted for by a reply or an open check-in, never twice", () => {
    const residents = [
      { id: "a", districtId: "d1" },
      { id: "b", districtId: "d1" },
      { id: "c", districtId: "d1" },
      { id: "d", districtId: "d2" },
    ];
    const acc = accountResidents({ residents, replied: new Set(["a", "b"]), checkedIn: new Set(["b", "d"]) });
    expect(acc.get("d1")).toEqual({ districtId: "d1", residents: 3, replied: 2, checkedIn: 1, unaccounted: ["c"] });
    expect(acc.get("d2")).toEqual({ districtId: "d2", residents: 1, replied: 0, checkedIn: 1, unaccounted: [] });
  });
});
