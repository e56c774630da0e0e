import type { TDocumentType } from "./document-types/define-document-type";
import { normaliseSearchText, searchGramsOf } from "./search-text";

export type BuildSearchTextOptions = {
  type: TDocumentType;
  /** A payload already validated against `type.schema`. */
  payload: unknown;
  issuerName: string;
  issuerNameEn: string;
  labels: readonly string[];
};

/**
 * The folded search text and grams of a document: type titles (with the kana reading, so ほけん
 * finds 保険 titles), subject, issuer, labels and every rendered value in both languages.
 */
export function buildSearchText(o: BuildSearchTextOptions): { searchText: string; searchGrams: string[] } {
  const parts = [o.type.title.ja, o.type.title.en, o.type.titleKana, o.issuerName, o.issuerNameEn, ...o.labels];
  for (const locale of ["ja", "en"] as const) {
    if (o.type.subject) parts.push(o.type.subject(o.payload, locale));
    for (const f of o.type.render(o.payload, locale)) parts.push(f.value);
  }
  // A separator that normalisation keeps, so bigrams do not join the end of one part to the next.
  const searchText = parts.map(normaliseSearchText).join("\u241f");
  return { searchText, searchGrams: searchGramsOf(searchText).filter((g) => !g.includes("\u241f")) };
}
