/**
 * A small RFC 4180 CSV writer: fields with a comma, quote, CR or LF are quoted and quotes
 * doubled; lines end in CRLF. Text that a spreadsheet would run as a formula (starting with
 * =, +, -, @, tab or CR) is prefixed with an apostrophe (OWASP "CSV injection"); numbers are
 * written as numbers.
 */
export type TCsvCell = string | number;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: TCsvCell): string {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error("CSV numbers must be finite");
    return String(value);
  }
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLines(rows: readonly (readonly TCsvCell[])[]): string {
  return rows.map((r) => `${r.map(csvCell).join(",")}\r\n`).join("");
}
