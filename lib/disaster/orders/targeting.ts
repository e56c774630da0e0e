import type { TGeoPoint } from "../../geo/geometry";
import { distanceKm } from "../../geo/measure";

/** Hazards as the database spells them (DisasterHazard). */
export const DISASTER_HAZARDS = ["FLOOD", "LANDSLIDE", "TSUNAMI", "STORM_SURGE", "EARTHQUAKE", "FIRE"] as const;
export type TDisasterHazard = (typeof DISASTER_HAZARDS)[number];

/** Needs a shelter must offer (Shelter.features) to be offered to a resident who has them. */
export const REQUIRED_NEEDS = ["wheelchair", "care", "medical_device"] as const;

export type TTargetResident = {
  /** Resident.needs: wheelchair, care, medical_device, interpreter, … */
  needs: readonly string[];
  /** Resident.language (BCP 47). */
  language: string;
  /** The household's position; null when not known (then shelters are not ranked by distance). */
  home: TGeoPoint | null;
};

export type TTargetShelter = {
  id: string;
  code: string;
  name: string;
  nameEn: string;
  kind: "DESIGNATED" | "WELFARE" | "HOSPITAL";
  address: string;
  latitude: number;
  longitude: number;
  open: boolean;
  features: readonly string[];
  languages: readonly string[];
  hazards: readonly string[];
};

export type TSuitedShelter = TTargetShelter & {
  /** Straight-line distance from home, km (null without a home position). */
  distanceKm: number | null;
  /** Offers every required need of the resident (false only in the fallback, see below). */
  meetsNeeds: boolean;
  /** Staff there speak the resident's language. */
  speaksLanguage: boolean;
};

/** The primary language subtag, lower case: "pt-BR" → "pt". */
const primary = (tag: string) => tag.toLowerCase().split("-")[0] ?? "";

/** The shelter is safe for the hazard: it lists it, or lists none (safe for every hazard). */
export function shelterSuitsHazard(shelter: Pick<TTargetShelter, "hazards">, hazard: TDisasterHazard): boolean {
  return shelter.hazards.length === 0 || shelter.hazards.includes(hazard);
}

/** The resident's needs a shelter must offer (wheelchair, care, medical_device). */
export function requiredNeedsOf(resident: Pick<TTargetResident, "needs">): string[] {
  return REQUIRED_NEEDS.filter((n) => resident.needs.includes(n));
}

/**
 * The nearest OPEN shelters that suit one resident for one hazard, best first, at most `limit`.
 *
 * Only open shelters safe for the hazard are offered. A shelter must offer each of her required
 * needs (wheelchair, care, medical_device); with "care", a welfare shelter (福祉避難所) comes
 * before any other. Among those, shelters whose staff speak her language come first, then the
 * nearer. When no open shelter offers her needs, the nearest safe ones are given anyway, marked
 * `meetsNeeds: false` (staff see her as someone to help; an instruction is never empty while a
 * safe shelter is open).
 */
export function nearestSuitedShelters(
  resident: TTargetResident,
  shelters: readonly TTargetShelter[],
  hazard: TDisasterHazard,
  limit = 3,
): TSuitedShelter[] {
  const needs = requiredNeedsOf(resident);
  const lang = primary(resident.language);
  const wantsWelfare = needs.includes("care");
  // Ranked on keys computed once per shelter (this runs for every resident of an order); only
  // the chosen few are copied out.
  const candidates = shelters
    .filter((s) => s.open && shelterSuitsHazard(s, hazard))
    .map((s) => {
      const meetsNeeds = needs.every((n) => s.features.includes(n));
      const speaksLanguage = s.languages.some((l) => primary(l) === lang);
      const distance = resident.home ? distanceKm(resident.home, s) : null;
      return {
        s,
        meetsNeeds,
        speaksLanguage,
        distance,
        rank: [
          wantsWelfare && s.kind !== "WELFARE" ? 1 : 0,
          speaksLanguage ? 0 : 1,
          distance ?? Number.POSITIVE_INFINITY,
        ] as const,
      };
    });
  const suited = candidates.filter((c) => c.meetsNeeds);
  const pool = suited.length > 0 ? suited : candidates;
  return pool
    .sort((a, b) => {
      for (let i = 0; i < a.rank.length; i++) if (a.rank[i] !== b.rank[i]) return a.rank[i]! - b.rank[i]!;
      return a.s.code.localeCompare(b.s.code);
    })
    .slice(0, limit)
    .map(
      (c): TSuitedShelter => ({
        ...c.s,
        distanceKm: c.distance,
        meetsNeeds: c.meetsNeeds,
        speaksLanguage: c.speaksLanguage,
      }),
    );
}

/** The language an instruction is written in: Japanese, or English for everyone else. */
export function instructionLanguage(language: string): "ja" | "en" {
  return primary(language) === "ja" ? "ja" : "en";
}

/** What to do at each alert level (内閣府「避難情報に関するガイドライン」), ja and en. */
export const LEVEL_ACTIONS: Record<1 | 2 | 3 | 4 | 5, { ja: string; en: string }> = {
  1: { ja: "災害への心構えを高めてください。", en: "Stay alert to the weather and the news." },
  2: {
    ja: "ハザードマップで避難先と避難経路を確認してください。",
    en: "Check your shelter and your route on the hazard map.",
  },
  3: {
    ja: "高齢の方、障害のある方など避難に時間のかかる方は避難してください。その他の方も避難の準備をしてください。",
    en: "Older people, people with disabilities and anyone who needs time: evacuate now. Everyone else: get ready to evacuate.",
  },
  4: { ja: "危険な場所から全員避難してください。", en: "Everyone: leave dangerous places and evacuate now." },
  5: {
    ja: "命の危険があります。直ちに身の安全を確保してください。",
    en: "Your life is in danger. Secure your safety immediately.",
  },
};

export function isAlertLevel(n: number): n is 1 | 2 | 3 | 4 | 5 {
  return Number.isInteger(n) && n >= 1 && n <= 5;
}
