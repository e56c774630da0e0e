/** Full years of age on `now`'s calendar day in Japan (UTC+9, no daylight saving): 年齢. */
export function ageOn(dateOfBirth: Date, now: Date): number {
  const jst = new Date(now.getTime() + 9 * 3_600_000);
  const y = jst.getUTCFullYear();
  const m = jst.getUTCMonth();
  const d = jst.getUTCDate();
  let age = y - dateOfBirth.getUTCFullYear();
  if (m < dateOfBirth.getUTCMonth() || (m === dateOfBirth.getUTCMonth() && d < dateOfBirth.getUTCDate())) age -= 1;
  return age;
}

/** Below this age a household member may be checked in without a card, confirmed by shelter staff. */
export const COMPANION_MAX_AGE_EXCLUSIVE = 15;
