/**
 * Calendar rules of JPKI certificates, all in Japan Standard Time (UTC+9, no DST):
 * validity to the fifth birthday after issue, the 15-year age limit of the signing certificate,
 * and the era-coded birth date (docs/jpki.md#the-two-certificates).
 */
import { AppError } from "@/lib/errors/app-error";
import { ERAS } from "./profiles";

const JST_OFFSET_MS = 9 * 60 * 60 * 1000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date without a time zone. */
export type CalendarDate = { year: number; month: number; day: number };

/** Parse `YYYY-MM-DD`, rejecting impossible dates (2023-02-29, 2024-13-01). */
export function parseCalendarDate(value: string): CalendarDate {
  const m = DATE_RE.exec(value);
  if (m) {
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const probe = new Date(Date.UTC(year, month - 1, day));
    if (probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day) {
      return { year, month, day };
    }
  }
  throw new AppError("VALIDATION_FAILED", { message: `Not a calendar date (YYYY-MM-DD): ${JSON.stringify(value)}` });
}

/** The JST calendar date of an instant. */
export function jstDateOf(instant: Date): CalendarDate {
  const shifted = new Date(instant.getTime() + JST_OFFSET_MS);
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

/** The instant of a JST wall-clock time. */
export function jstInstant(d: CalendarDate, hours = 0, minutes = 0, seconds = 0): Date {
  return new Date(Date.UTC(d.year, d.month - 1, d.day, hours, minutes, seconds) - JST_OFFSET_MS);
}

/** 00:00:00 JST on the day of `instant` (the notBefore seen on real cards, docs/jpki.md#user-authentication-certificate). */
export function jstStartOfDay(instant: Date): Date {
  return jstInstant(jstDateOf(instant));
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * The holder's birthday in `year`. A 29 February birthday falls on 28 February in common years:
 * J-LIS's handling is not public (UNCERTAIN); 28 February keeps the certificate from outliving the
 * fifth anniversary, and matches how Japanese law ages people born on 29 February.
 */
function birthdayIn(dob: CalendarDate, year: number): CalendarDate {
  if (dob.month === 2 && dob.day === 29 && !isLeapYear(year)) return { year, month: 2, day: 28 };
  return { year, month: dob.month, day: dob.day };
}

function compareDates(a: CalendarDate, b: CalendarDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/**
 * End of validity of a JPKI certificate: 23:59:59 JST on the fifth birthday after the day of
 * issue (docs/jpki.md#user-authentication-certificate). A birthday on the issue day itself does not count.
 */
export function jpkiValidityEnd(dateOfBirth: string, issuedAt: Date): Date {
  const dob = parseCalendarDate(dateOfBirth);
  const issued = jstDateOf(issuedAt);
  const thisYear = birthdayIn(dob, issued.year);
  const firstYear = compareDates(thisYear, issued) > 0 ? issued.year : issued.year + 1;
  return jstInstant(birthdayIn(dob, firstYear + 4), 23, 59, 59);
}

/** Age in completed years on the JST day of `at` (birthday counted on its day). */
export function ageOn(dateOfBirth: string, at: Date): number {
  const dob = parseCalendarDate(dateOfBirth);
  const day = jstDateOf(at);
  const birthdayThisYear = birthdayIn(dob, day.year);
  return day.year - dob.year - (compareDates(day, birthdayThisYear) < 0 ? 1 : 0);
}

/**
 * `EYYYYMMDD`: era digit (1 明治 … 5 令和, 0 unknown) + Gregorian date (docs/jpki.md#the-four-basic-facts),
 * e.g. 1990-01-02 → `419900102`.
 */
export function encodeEraDate(dateOfBirth: string): string {
  parseCalendarDate(dateOfBirth);
  const era = ERAS.find((e) => dateOfBirth >= e.start);
  return `${era?.digit ?? 0}${dateOfBirth.replaceAll("-", "")}`;
}

/** Decoded `EYYYYMMDD`: the era (if known) and the Gregorian date. */
export type EraDate = { era: (typeof ERAS)[number] | undefined; date: string; eraYear: number | undefined };

/** Inverse of {@link encodeEraDate}; throws on anything but nine digits. */
export function decodeEraDate(value: string): EraDate {
  const m = /^(\d)(\d{4})(\d{2})(\d{2})$/.exec(value);
  if (!m) throw new AppError("CERT_MALFORMED", { message: `Not an era-coded date (EYYYYMMDD): ${value}` });
  const date = `${m[2]}-${m[3]}-${m[4]}`;
  const era = ERAS.find((e) => e.digit === Number(m[1]));
  const eraYear = era ? Number(m[2]) - Number(era.start.slice(0, 4)) + 1 : undefined;
  return { era, date, eraYear };
}

/** `YYYY-MM-DD hh:mm:ss JST` for display. */
export function formatJst(instant: Date): string {
  const s = new Date(instant.getTime() + JST_OFFSET_MS).toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, 19)} JST`;
}
