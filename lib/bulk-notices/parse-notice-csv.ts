import { parse } from "csv-parse/sync";
import { AppError } from "@/lib/errors/app-error";
import { isSafeText } from "@/lib/http/safe-text";

/** Largest CSV accepted (bytes). A town's whole registry fits many times over. */
export const MAX_NOTICE_CSV_BYTES = 2 * 1024 * 1024;
/** Most data lines of one sending. */
export const MAX_NOTICE_LINES = 10_000;

/** How the uploaded bytes are encoded: UTF-8 (with or without BOM) or Shift_JIS (Excel's "CSV" in Japan, Windows-31J). */
export type TNoticeCsvEncoding = "utf-8" | "shift_jis";

/** Header names accepted for the first column. */
const REGISTRY_HEADERS = new Set(["registrynumber", "registry_number", "住民番号", "登録番号"]);
/** A registry number as the registry stores them (digits, letters and hyphens). */
const REGISTRY_NUMBER = /^[0-9A-Za-z][0-9A-Za-z-]{0,39}$/;
/** A variable column's name: what the notice's text refers to as {{name}}. */
const VARIABLE_NAME = /^[\p{L}\p{N}_]{1,40}$/u;
/** Built-in variables filled from the resident's registry record, never from the CSV. */
export const REGISTRY_VARIABLES = ["氏名", "name"] as const;
/** {{ variable }} in the notice's text. */
const PLACEHOLDER = /\{\{\s*([^{}\s]+)\s*\}\}/gu;

/** The refusal codes a line gets when the file is read (the registry ones come when it is sent). */
export type TParseRefusal =
  | "NOTICE_LINE_MALFORMED"
  | "NOTICE_LINE_BAD_CHARACTERS"
  | "NOTICE_LINE_DUPLICATE"
  | "NOTICE_VARIABLE_MISSING";

export type TParsedNoticeLine = {
  lineNumber: number;
  registryNumber: string;
  values: Record<string, string>;
  refusal?: TParseRefusal;
};

export type TParsedNoticeCsv = { variables: string[]; lines: TParsedNoticeLine[] };

/**
 * Text that can be sent: safe for the database and JSON (no NUL, no lone surrogates) and without
 * C0/C1 control characters other than tab and line breaks, nor U+FFFD (a character lost before
 * the file reached us).
 */
export function isSendableText(s: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: exactly the control characters are refused.
  return isSafeText(s) && !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffd]/u.test(s);
}

/** The variables `text` refers to, in order of first use. */
export function placeholdersOf(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/** `text` with each {{variable}} replaced by its value (callers check every variable has one). */
export function fillPlaceholders(text: string, values: Record<string, string>): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => values[name] ?? whole);
}

/** Decodes the upload strictly: a byte sequence invalid in the declared encoding is refused, never replaced. */
export function decodeNoticeCsv(bytes: Uint8Array, encoding: TNoticeCsvEncoding): string {
  if (bytes.byteLength > MAX_NOTICE_CSV_BYTES) throw new AppError("NOTICE_CSV_TOO_LARGE");
  try {
    const text = new TextDecoder(encoding, { fatal: true, ignoreBOM: false }).decode(bytes);
    // TextDecoder drops a leading UTF-8 BOM itself; a stray one after decoding (e.g. a BOM inside Shift_JIS) goes too.
    return text.startsWith("\ufeff") ? text.slice(1) : text;
  } catch (cause) {
    throw new AppError(encoding === "utf-8" ? "NOTICE_CSV_NOT_UTF8" : "NOTICE_CSV_NOT_SHIFT_JIS", { cause });
  }
}

/**
 * Reads the CSV of a bulk notice: a header row whose first column is the registry number
 * (`registryNumber` or 住民番号) and whose other columns are variables the notice's text may use as
 * {{column}}; one resident per line after it. Whole-file problems throw (NOTICE_CSV_*,
 * NOTICE_TEMPLATE_VARIABLE_UNKNOWN); a bad line is kept with its refusal so that the report names
 * it: the wrong number of columns or a malformed registry number (NOTICE_LINE_MALFORMED), a
 * character that cannot be sent (NOTICE_LINE_BAD_CHARACTERS), a registry number already on an
 * earlier line (NOTICE_LINE_DUPLICATE), or an empty value the text needs (NOTICE_VARIABLE_MISSING).
 * Blank lines are skipped; line numbers are the file's (the header is line 1).
 */
export function parseNoticeCsv(text: string, templates: readonly string[]): TParsedNoticeCsv {
  let parsed: { record: string[]; raw: string; info: { lines: number } }[];
  try {
    // One line break (CR LF from Windows, lone CR from old Macs → LF) so that line numbers are the file's.
    parsed = parse(text.replace(/\r\n?/g, "\n"), {
      bom: true,
      info: true,
      raw: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as { record: string[]; raw: string; info: { lines: number } }[];
  } catch (cause) {
    throw new AppError("NOTICE_CSV_INVALID", { cause });
  }
  // info.lines is the line a record ends on; a quoted value may span lines, so count back to its start.
  const records = parsed.map(({ record, raw, info }) => ({
    record,
    info: { lines: info.lines - (raw.replace(/^\n+/, "").replace(/\n$/, "").match(/\n/g)?.length ?? 0) },
  }));
  const [head, ...rows] = records;
  const header = head?.record ?? [];
  if (!header[0] || !REGISTRY_HEADERS.has(header[0].toLowerCase())) throw new AppError("NOTICE_CSV_INVALID");
  const variables = header.slice(1);
  if (variables.some((v) => !VARIABLE_NAME.test(v)) || new Set(variables).size !== variables.length) {
    throw new AppError("NOTICE_CSV_INVALID", { message: "The CSV's column names must be distinct words." });
  }
  const used = [...new Set(templates.flatMap(placeholdersOf))];
  const unknown = used.filter((v) => !variables.includes(v) && !(REGISTRY_VARIABLES as readonly string[]).includes(v));
  if (unknown.length > 0) throw new AppError("NOTICE_TEMPLATE_VARIABLE_UNKNOWN", { details: { variables: unknown } });
  const needed = used.filter((v) => variables.includes(v));
  // Lines with only empty cells (e.g. ",,," that Excel leaves behind) are blank lines too.
  const data = rows.filter((r) => r.record.some((c) => c !== ""));
  if (data.length === 0) throw new AppError("NOTICE_CSV_EMPTY");
  if (data.length > MAX_NOTICE_LINES) throw new AppError("NOTICE_CSV_TOO_MANY_LINES");
  const seen = new Set<string>();
  return {
    variables,
    lines: data.map(({ record, info }): TParsedNoticeLine => {
      const registryNumber = (record[0] ?? "").slice(0, 40);
      const values = Object.fromEntries(variables.map((v, i) => [v, (record[i + 1] ?? "").slice(0, 2000)]));
      const line = { lineNumber: info.lines, registryNumber: isSafeText(registryNumber) ? registryNumber : "", values };
      if (!record.every(isSendableText)) return { ...line, values: {}, refusal: "NOTICE_LINE_BAD_CHARACTERS" };
      if (record.length !== header.length || !REGISTRY_NUMBER.test(registryNumber)) {
        return { ...line, refusal: "NOTICE_LINE_MALFORMED" };
      }
      if (seen.has(registryNumber)) return { ...line, refusal: "NOTICE_LINE_DUPLICATE" };
      seen.add(registryNumber);
      if (needed.some((v) => values[v] === "")) return { ...line, refusal: "NOTICE_VARIABLE_MISSING" };
      return line;
    }),
  };
}
