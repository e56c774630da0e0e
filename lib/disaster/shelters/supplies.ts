/**
 * Supply suggestions for a shelter from who is checked in: pure functions over the people (their
 * needs and date of birth), one rule per line, each rule carrying the sentence shown beside its
 * figure. The figures follow the style of the Cabinet Office's guidelines on running shelters
 * (避難所運営ガイドライン) and on stockpiling (3 L of water and 3 meals per person per day,
 * toilets by head count, extra goods for infants, people needing care and medical devices); see
 * docs/disaster-shelters.md for the sources in our own words. They are planning aids for staff,
 * never an order.
 */
import { ageOn } from "./age";

export type TSupplyPerson = { needs: readonly string[]; dateOfBirth: Date };

export type TSupplyRule = {
  id: string;
  item: { ja: string; en: string };
  unit: { ja: string; en: string };
  /** The rule as shown beside the figure. */
  rule: { ja: string; en: string };
  /** Who the rule counts. */
  applies: (p: TSupplyPerson, now: Date) => boolean;
  /** The quantity for `count` people it applies to, per day. */
  perDay: (count: number) => number;
};

const everyone = () => true;
const ageBelow = (years: number) => (p: TSupplyPerson, now: Date) => ageOn(p.dateOfBirth, now) < years;
const has = (need: string) => (p: TSupplyPerson) => p.needs.includes(need);

/** The rule table, in display order. */
export const SUPPLY_RULES: readonly TSupplyRule[] = [
  {
    id: "water",
    item: { ja: "飲料水", en: "Drinking water" },
    unit: { ja: "L", en: "L" },
    rule: { ja: "1人1日3L", en: "3 L per person per day" },
    applies: everyone,
    perDay: (n) => n * 3,
  },
  {
    id: "meals",
    item: { ja: "食料", en: "Meals" },
    unit: { ja: "食", en: "meals" },
    rule: { ja: "1人1日3食", en: "3 meals per person per day" },
    applies: everyone,
    perDay: (n) => n * 3,
  },
  {
    id: "toilets",
    item: { ja: "簡易トイレ", en: "Portable toilets" },
    unit: { ja: "基", en: "units" },
    rule: { ja: "50人に1基（端数切上げ）", en: "1 per 50 people (rounded up)" },
    applies: everyone,
    perDay: (n) => Math.ceil(n / 50),
  },
  {
    id: "infant_formula",
    item: { ja: "乳児用ミルク", en: "Infant formula" },
    unit: { ja: "回分", en: "feeds" },
    rule: { ja: "1歳未満 1人1日8回分", en: "8 feeds per infant under 1 per day" },
    applies: ageBelow(1),
    perDay: (n) => n * 8,
  },
  {
    id: "diapers",
    item: { ja: "子ども用おむつ", en: "Children's diapers" },
    unit: { ja: "枚", en: "pieces" },
    rule: { ja: "3歳未満 1人1日8枚", en: "8 per child under 3 per day" },
    applies: ageBelow(3),
    perDay: (n) => n * 8,
  },
  {
    id: "care_goods",
    item: { ja: "介護用品（大人用おむつ等）", en: "Care goods (adult incontinence pads etc.)" },
    unit: { ja: "枚", en: "pieces" },
    rule: { ja: "要介護（care）1人1日6枚", en: "6 per person needing care per day" },
    applies: has("care"),
    perDay: (n) => n * 6,
  },
  {
    id: "power",
    item: { ja: "医療機器用の電源・予備電池", en: "Power / spare batteries for medical devices" },
    unit: { ja: "回分の充電", en: "charges" },
    rule: {
      ja: "医療機器（medical_device）1人1日2回分",
      en: "2 charges per person with a medical device per day",
    },
    applies: has("medical_device"),
    perDay: (n) => n * 2,
  },
  {
    id: "wheelchair_space",
    item: { ja: "車いす対応スペース・トイレ", en: "Wheelchair space and accessible toilet" },
    unit: { ja: "人分", en: "places" },
    rule: { ja: "車いす利用者（wheelchair）1人1区画", en: "1 place per wheelchair user" },
    applies: has("wheelchair"),
    perDay: (n) => n,
  },
];

export type TSupplyLine = {
  id: string;
  item: { ja: string; en: string };
  unit: { ja: string; en: string };
  rule: { ja: string; en: string };
  /** How many people the rule counted. */
  people: number;
  quantity: number;
};

/**
 * The suggestion for `days` days for the people at a shelter: every rule that counts at least
 * one person (water, meals and toilets always when anyone is there). `days` is a whole number ≥ 1.
 */
export function suggestSupplies(
  people: readonly TSupplyPerson[],
  o: { now: Date; days?: number; rules?: readonly TSupplyRule[] },
): TSupplyLine[] {
  const days = Math.max(1, Math.floor(o.days ?? 1));
  const lines: TSupplyLine[] = [];
  for (const r of o.rules ?? SUPPLY_RULES) {
    const count = people.filter((p) => r.applies(p, o.now)).length;
    if (count === 0) continue;
    const perDay = r.perDay(count);
    // A count of fixed things (toilets, places) is not multiplied by days.
    const quantity = r.id === "toilets" || r.id === "wheelchair_space" ? perDay : perDay * days;
    lines.push({ id: r.id, item: r.item, unit: r.unit, rule: r.rule, people: count, quantity });
  }
  return lines;
}

/** Counts per need of the people at a shelter (for the dashboard), largest first, then by name. */
export function countNeeds(people: readonly { needs: readonly string[] }[]): { need: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const p of people) for (const n of new Set(p.needs)) counts.set(n, (counts.get(n) ?? 0) + 1);
  return [...counts.entries()]
    .map(([need, count]) => ({ need, count }))
    .sort((a, b) => b.count - a.count || a.need.localeCompare(b.need));
}
