/**
 * Japanese-aware search text without a tokenizer or a database extension: text is folded so that
 * different spellings compare equal, then indexed as its distinct characters and character
 * bigrams (an n-gram index, as Japanese full-text engines like pg_bigm do). A query term matches
 * when all its bigrams are present (GIN `@>` on MailboxDocument.searchGrams) and the folded text
 * contains it (the recheck that removes bigram false positives).
 */

const KATAKANA_START = 0x30a1; // ァ
const KATAKANA_END = 0x30f6; // ヶ
const KANA_OFFSET = 0x60; // ァ (U+30A1) − ぁ (U+3041)
const WHITESPACE = /\s/gu;
const KATAKANA = new RegExp(`[${String.fromCodePoint(KATAKANA_START)}-${String.fromCodePoint(KATAKANA_END)}]`, "gu");

/**
 * NFKC (full-width ASCII and half-width katakana to their standard forms), katakana folded to
 * hiragana, lower case, whitespace removed. So ｾｲﾒｲ, セイメイ and せいめい are one string, and
 * ＡＢＣ equals abc.
 */
export function normaliseSearchText(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(WHITESPACE, "")
    .replace(KATAKANA, (ch) => String.fromCodePoint(ch.codePointAt(0)! - KANA_OFFSET));
}

/** Cap on grams per document: the text of a huge medical notice is still searchable by its start. */
const MAX_GRAMS = 8000;

/** Distinct characters and bigrams of already-normalised text. */
export function searchGramsOf(normalised: string): string[] {
  const chars = [...normalised];
  const grams = new Set<string>();
  for (let i = 0; i < chars.length && grams.size < MAX_GRAMS; i++) {
    grams.add(chars[i]!);
    if (i + 1 < chars.length) grams.add(chars[i]! + chars[i + 1]!);
  }
  return [...grams];
}

/** A search query as folded terms (split on whitespace) with the grams each requires. */
export function parseSearchQuery(query: string): { terms: string[]; grams: string[] } {
  const terms = query
    .split(/\s+/u)
    .map(normaliseSearchText)
    .filter((t) => t.length > 0)
    .slice(0, 8);
  const grams = new Set<string>();
  for (const term of terms) {
    const chars = [...term];
    if (chars.length === 1) grams.add(chars[0]!);
    for (let i = 0; i + 1 < chars.length; i++) grams.add(chars[i]! + chars[i + 1]!);
  }
  return { terms, grams: [...grams] };
}
