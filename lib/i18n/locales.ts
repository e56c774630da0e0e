/** Japanese first; English available everywhere. */
export const locales = ["ja", "en"] as const;
export type TLocale = (typeof locales)[number];
export const defaultLocale: TLocale = "ja";
export const LOCALE_COOKIE = "ichimai_locale";

export function isLocale(v: unknown): v is TLocale {
  return typeof v === "string" && (locales as readonly string[]).includes(v);
}
