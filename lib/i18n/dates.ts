import type { TLocale } from "./locales";

/**
 * Date formatting for the portal, in the two forms Japanese administration uses: the Western
 * calendar (西暦) and the Japanese era (和暦, 元号). Both go through Intl so era changes come from
 * ICU data, not from a hand-kept table (the Heisei → Reiwa switch on 2019-05-01 is an ICU fact).
 *
 * Every function formats in Asia/Tokyo: a resident's "today" and a certificate's issue date are
 * Japanese calendar days, whatever time zone the server runs in.
 */
export const PORTAL_TIME_ZONE = "Asia/Tokyo";

/** A calendar day ("2019-05-01"), or an instant (Date / ISO timestamp with a time part). */
export type TDateInput = Date | string;

const CALENDAR_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function toInstant(value: TDateInput): Date {
  if (value instanceof Date) return value;
  // A bare calendar day is that day in Japan; parsing it as UTC midnight would be right too,
  // but noon JST keeps it on the same day in any zone a caller might later pass.
  const day = CALENDAR_DAY.exec(value);
  const date = day ? new Date(`${day[1]}-${day[2]}-${day[3]}T12:00:00+09:00`) : new Date(value);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a date: ${value}`);
  return date;
}

// Intl formatters are costly to build (ICU data lookups) and are used per field on hot paths
// such as bulk delivery's search text: build each (locale, options) pair once.
const formatters = new Map<string, Intl.DateTimeFormat>();
function dtf(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, f);
  }
  return f;
}

const dayOptions = { timeZone: PORTAL_TIME_ZONE, year: "numeric", month: "long", day: "numeric" } as const;

/**
 * Western-calendar date: ja → "2025年11月25日", en → "25 November 2025".
 * @example formatWesternDate("2025-11-25", "ja") // "2025年11月25日"
 */
export function formatWesternDate(value: TDateInput, locale: TLocale): string {
  return dtf(locale === "ja" ? "ja-JP" : "en-GB", dayOptions).format(toInstant(value));
}

/**
 * Japanese-era date through the `japanese` calendar of Intl.
 * ja → "令和7年11月25日" (the first year of an era is written 元年: "令和元年5月1日");
 * en → "Reiwa 7, November 25" (era name first, as the English versions of Japanese forms write it).
 */
export function formatJapaneseEraDate(value: TDateInput, locale: TLocale): string {
  const instant = toInstant(value);
  if (locale === "ja") {
    return dtf("ja-JP-u-ca-japanese", { ...dayOptions, era: "long" }).format(instant);
  }
  const parts = dtf("en-US-u-ca-japanese", { ...dayOptions, era: "long" }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("era")} ${part("year")}, ${part("month")} ${part("day")}`;
}

/**
 * Both forms together, the way Japanese forms print a date: "令和7年（2025年）11月25日" in
 * Japanese, "25 November 2025 (Reiwa 7)" in English.
 */
export function formatDateBoth(value: TDateInput, locale: TLocale): string {
  const instant = toInstant(value);
  if (locale === "ja") {
    const parts = dtf("ja-JP-u-ca-japanese", { ...dayOptions, era: "long" }).formatToParts(instant);
    const western = dtf("ja-JP", { timeZone: PORTAL_TIME_ZONE, year: "numeric" }).format(instant);
    const yearEnd = parts.findIndex((p) => p.type === "year");
    // Insert the Western year after "令和7年" so the month and day are not repeated.
    const eraYear = parts
      .slice(0, yearEnd + 2)
      .map((p) => p.value)
      .join("");
    const rest = parts
      .slice(yearEnd + 2)
      .map((p) => p.value)
      .join("");
    return `${eraYear}（${western}）${rest}`;
  }
  const parts = dtf("en-US-u-ca-japanese", { ...dayOptions, era: "long" }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  return `${formatWesternDate(instant, "en")} (${part("era")} ${part("year")})`;
}

/** Date and time of an event (an audit row, a delivery): ja → "2025年11月25日 14:05", en → "25 November 2025 at 14:05". */
export function formatDateTime(value: TDateInput, locale: TLocale): string {
  return dtf(locale === "ja" ? "ja-JP" : "en-GB", {
    ...dayOptions,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(toInstant(value));
}

/** The Tokyo calendar day as "YYYY-MM-DD", for `<time dateTime>` and form values. */
export function formatIsoDay(value: TDateInput): string {
  return dtf("en-CA", {
    timeZone: PORTAL_TIME_ZONE,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(toInstant(value));
}
