/**
 * 法人番号 (corporate number, 国税庁): 13 digits, the first a check digit over the 12-digit base
 * number (法人番号の指定等に関する省令 第2条): 9 − (Σ Pn × Qn mod 9), n = 1…12 counted from the
 * lowest digit of the base, Qn = 1 for odd n and 2 for even n.
 */
import { z } from "zod";

/** The check digit of a 12-digit base number. */
export function corporateNumberCheckDigit(base: string): number {
  if (!/^[0-9]{12}$/.test(base)) throw new RangeError("A corporate number's base has 12 digits.");
  let sum = 0;
  for (let n = 1; n <= 12; n++) sum += Number(base[12 - n]) * (n % 2 === 1 ? 1 : 2);
  return 9 - (sum % 9);
}

/** Whether `s` is 13 digits whose first is the check digit of the other 12. */
export function isValidCorporateNumber(s: string): boolean {
  return /^[0-9]{13}$/.test(s) && Number(s[0]) === corporateNumberCheckDigit(s.slice(1));
}

/** A 法人番号 as typed: half- or full-width digits, hyphens and spaces dropped, then checked. */
export const ZCorporateNumber = z
  .string()
  .max(40)
  .transform((s) => s.normalize("NFKC").replace(/[\s-]/g, ""))
  .refine(isValidCorporateNumber, { message: "PARTNER_CORPORATE_NUMBER_INVALID" });
