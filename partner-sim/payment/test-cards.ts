/**
 * The simulated processor's card rules: only the published test card numbers are accepted
 * (a real number is refused even when its Luhn digit is right), one of them always declines.
 */

/** The test card numbers the registration page accepts, with their brand. */
export const TEST_CARDS: Readonly<Record<string, string>> = {
  "4242424242424242": "visa",
  "5555555555554444": "mastercard",
  "3566002020360505": "jcb",
  "378282246310005": "amex",
  /** Always declined at charge time (registers fine). */
  "4000000000000002": "visa",
};

/** The test number whose charges are always declined. */
export const DECLINING_TEST_CARD = "4000000000000002";

/** The Luhn (mod 10) check of a card number of digits only. */
export function luhnValid(digits: string): boolean {
  if (!/^\d{12,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export type TCardCheck =
  | { ok: true; number: string; brand: string; last4: string; expMonth: number; expYear: number }
  | { ok: false; field: "number" | "expiry" | "cvc"; reason: string };

/**
 * A card as typed on the registration page: number (spaces and hyphens allowed), expiry MM/YY
 * (not before `now`'s month) and a 3–4 digit CVC, which is checked for its form and never kept.
 */
export function checkCard(input: { number: string; expiry: string; cvc: string }, now: Date): TCardCheck {
  const number = input.number.replace(/[\s-]/g, "");
  if (!luhnValid(number)) return { ok: false, field: "number", reason: "カード番号が正しくありません (Luhn)。" };
  const brand = TEST_CARDS[number];
  if (!brand) return { ok: false, field: "number", reason: "テスト用のカード番号のみ登録できます。" };
  const m = /^\s*(\d{2})\s*\/\s*(\d{2})\s*$/.exec(input.expiry);
  const expMonth = m ? Number(m[1]) : 0;
  if (!m || expMonth < 1 || expMonth > 12)
    return { ok: false, field: "expiry", reason: "有効期限は MM/YY で入力してください。" };
  const expYear = 2000 + Number(m[2]);
  const nowMonths = now.getUTCFullYear() * 12 + now.getUTCMonth();
  if (expYear * 12 + (expMonth - 1) < nowMonths)
    return { ok: false, field: "expiry", reason: "有効期限が切れています。" };
  if (!/^\d{3,4}$/.test(input.cvc.trim()))
    return { ok: false, field: "cvc", reason: "セキュリティコードは3桁または4桁です。" };
  return { ok: true, number, brand, last4: number.slice(-4), expMonth, expYear };
}
