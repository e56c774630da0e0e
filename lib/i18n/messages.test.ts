import { describe, expect, it } from "vitest";
import { locales } from "./locales";
import en from "./messages/en.json";
import ja from "./messages/ja.json";

type TTree = { [key: string]: string | TTree };

/** Every leaf as a dotted key ("home.heroTitle"), the shape next-intl resolves. */
function leafKeys(tree: TTree, prefix = ""): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === "string" ? [`${prefix}${k}`] : leafKeys(v, `${prefix}${k}.`),
  );
}

function leafValues(tree: TTree): string[] {
  return Object.values(tree).flatMap((v) => (typeof v === "string" ? [v] : leafValues(v)));
}

/** ICU placeholders ({name}, {count, plural, …}) that a translation must keep. */
function placeholders(tree: TTree, prefix = ""): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v === "string") out[`${prefix}${k}`] = [...v.matchAll(/\{(\w+)/g)].map((m) => m[1] ?? "").sort();
    else Object.assign(out, placeholders(v, `${prefix}${k}.`));
  }
  return out;
}

const catalogues: Record<(typeof locales)[number], TTree> = { ja, en };

describe("message catalogues", () => {
  it("has a catalogue for every locale", () => {
    expect(Object.keys(catalogues).sort()).toEqual([...locales].sort());
  });

  it("ja and en have exactly the same keys", () => {
    const jaKeys = new Set(leafKeys(ja));
    const enKeys = new Set(leafKeys(en));
    expect(
      [...jaKeys].filter((k) => !enKeys.has(k)),
      "keys only in ja.json",
    ).toEqual([]);
    expect(
      [...enKeys].filter((k) => !jaKeys.has(k)),
      "keys only in en.json",
    ).toEqual([]);
  });

  it("keeps the same ICU placeholders in both languages", () => {
    expect(placeholders(en)).toEqual(placeholders(ja));
  });

  it("has no empty messages", () => {
    for (const tree of [ja, en]) expect(leafValues(tree).filter((v) => v.trim() === "")).toEqual([]);
  });

  it("detects a missing key (the check itself can fail)", () => {
    const broken: TTree = { ...ja, common: { ...(ja.common as TTree), onlyHere: "x" } };
    expect(leafKeys(broken)).not.toEqual(leafKeys(en));
  });
});
