import { z } from "zod";
import { formatDateBoth, formatDateTime } from "@/lib/i18n/dates";
import type { TLocale } from "@/lib/i18n/locales";

/** The domains a document type belongs to; residents filter by them. */
export const ZDocumentDomain = z.enum([
  "tax",
  "health",
  "pension",
  "residence",
  "insurance",
  "transport",
  "disaster",
  "notice",
]);
export type TDocumentDomain = z.infer<typeof ZDocumentDomain>;

/** One labelled value of a rendered document, in one language. */
export type TRenderedField = { label: string; value: string };

/** Text in both portal languages (Japanese first). */
export type TBilingual = { ja: string; en: string };

/**
 * A document type: code, not data, so a payload schema change is reviewed like code. The
 * payload schema is the contract partners deliver against (exported as JSON Schema through
 * `z.toJSONSchema`); `render` turns a valid payload into labelled fields for the resident.
 */
export type TDocumentType<TPayload = unknown> = {
  /** Stable id used by the API (kebab-case); never rename. */
  id: string;
  domain: TDocumentDomain;
  title: TBilingual;
  /** Hiragana reading of the Japanese title, so kana searches find kanji titles. */
  titleKana: string;
  schema: z.ZodType<TPayload>;
  render: (payload: TPayload, locale: TLocale) => TRenderedField[];
  /** A one-line subject for lists (default: the type title). */
  subject?: (payload: TPayload, locale: TLocale) => string;
};

/** Declares a document type with its payload type inferred from the schema. */
export function defineDocumentType<TSchema extends z.ZodType>(
  type: Omit<TDocumentType<z.infer<TSchema>>, "schema"> & { schema: TSchema },
): TDocumentType<z.infer<TSchema>> {
  return { ...type, schema: type.schema as z.ZodType<z.infer<TSchema>> };
}

// --- Shared payload pieces ---

/** Japanese yen, whole yen. */
export const ZYen = z.number().int().min(0).max(1_000_000_000_000);
/** A calendar day, YYYY-MM-DD. */
export const ZDay = z.iso.date();
/** An instant with an offset (RFC 3339). */
export const ZInstant = z.iso.datetime({ offset: true });
/** Free text of a certificate field. */
export const ZText = (max = 200) => z.string().trim().min(1).max(max);
/** A person's name as printed (surname, space, given name). */
export const ZPersonName = ZText(100);

// --- Shared rendering helpers ---

/** ja "123,456円", en "¥123,456". */
const YEN_DIGITS = new Intl.NumberFormat("ja-JP");

export function yen(n: number, locale: TLocale): string {
  const digits = YEN_DIGITS.format(n);
  return locale === "ja" ? `${digits}円` : `¥${digits}`;
}

/** A calendar day in both calendars, as Japanese forms print it. */
export function day(value: string, locale: TLocale): string {
  return formatDateBoth(value, locale);
}

export function instant(value: string, locale: TLocale): string {
  return formatDateTime(value, locale);
}

/** A field with a label in both languages. */
export function field(locale: TLocale, label: TBilingual, value: string): TRenderedField {
  return { label: label[locale], value };
}

export function yesNo(v: boolean, locale: TLocale): string {
  return locale === "ja" ? (v ? "はい" : "いいえ") : v ? "Yes" : "No";
}
