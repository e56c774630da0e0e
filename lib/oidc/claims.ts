/**
 * The claims ichimai releases to relying parties, one scope per claim so that a resident consents
 * fact by fact: the four basic facts (name, address, date of birth, gender) and predicates that
 * disclose less than a fact (age over 18 / 65, registered in the municipality), computed from the
 * resident's registry record at release time.
 */

/** A releasable claim; each is also the name of the one scope that asks for it. */
export const OIDC_CLAIMS = [
  "name",
  "address",
  "birthdate",
  "gender",
  "age_over_18",
  "age_over_65",
  "resident_of_municipality",
] as const;
export type TOidcClaim = (typeof OIDC_CLAIMS)[number];

export function isOidcClaim(v: string): v is TOidcClaim {
  return (OIDC_CLAIMS as readonly string[]).includes(v);
}

/** Which claims are one of the four basic facts (基本4情報) and which are predicates over them. */
export const FACT_CLAIMS: readonly TOidcClaim[] = ["name", "address", "birthdate", "gender"];
export const PREDICATE_CLAIMS: readonly TOidcClaim[] = ["age_over_18", "age_over_65", "resident_of_municipality"];

/** Japanese names of the claims, for the audit rows' purpose (the UI has its own, both languages). */
export const CLAIM_NAMES_JA: Record<TOidcClaim, string> = {
  name: "氏名",
  address: "住所",
  birthdate: "生年月日",
  gender: "性別",
  age_over_18: "18歳以上かどうか",
  age_over_65: "65歳以上かどうか",
  resident_of_municipality: "町に住民登録があるかどうか",
};

/** oidc-provider's `claims` configuration: scope → the claims it releases (only its own). */
export function scopeClaimsConfig(): Record<string, string[] | null> {
  // acr and auth_time go with openid: every ID token says how and when the resident logged in.
  const out: Record<string, string[] | null> = { openid: ["sub", "acr", "auth_time"], sid: null };
  for (const c of OIDC_CLAIMS) out[c] = [c];
  return out;
}

/** What the registry record gives for the claims (registry fields only). */
export type TRegistryFacts = {
  familyName: string;
  givenName: string;
  address: string;
  postalCode: string;
  dateOfBirth: Date;
  gender: string;
  leftAt: Date | null;
};

/** Whole years of age on `now` (Japan civil date, the date of birth is a calendar date). */
export function ageOn(dateOfBirth: Date, now: Date): number {
  const tokyo = new Date(now.getTime() + 9 * 3600 * 1000);
  const y = tokyo.getUTCFullYear();
  const m = tokyo.getUTCMonth();
  const d = tokyo.getUTCDate();
  let age = y - dateOfBirth.getUTCFullYear();
  if (m < dateOfBirth.getUTCMonth() || (m === dateOfBirth.getUTCMonth() && d < dateOfBirth.getUTCDate())) age -= 1;
  return age;
}

const GENDER: Record<string, string> = { MALE: "male", FEMALE: "female" };

/** Every claim's value for a registry record; the provider then keeps only the granted ones. */
export function claimValues(facts: TRegistryFacts, now: Date): Record<TOidcClaim, unknown> {
  const age = ageOn(facts.dateOfBirth, now);
  return {
    name: `${facts.familyName} ${facts.givenName}`,
    address: { formatted: facts.address, postal_code: facts.postalCode, country: "JP" },
    birthdate: facts.dateOfBirth.toISOString().slice(0, 10),
    gender: GENDER[facts.gender] ?? "other",
    age_over_18: age >= 18,
    age_over_65: age >= 65,
    resident_of_municipality: facts.leftAt === null,
  };
}
