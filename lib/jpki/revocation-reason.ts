import { derError } from "./der";

/**
 * CRLReason (RFC 5280 §5.3.1): each reason's name and its ENUMERATED value. The one list; CRL
 * and OCSP reading, the platform's webhooks and notices, the CLI and the benchmarks take names and
 * codes from here. Value 7 is not assigned.
 */
export const CRL_REASON_CODES = {
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
  removeFromCRL: 8,
  privilegeWithdrawn: 9,
  aACompromise: 10,
} as const;

export type TRevocationReason = keyof typeof CRL_REASON_CODES;

/** Every CRLReason name, in the order of their values. */
export const REVOCATION_REASONS = Object.keys(CRL_REASON_CODES) as [TRevocationReason, ...TRevocationReason[]];

/**
 * The reasons J-LIS revokes JPKI certificates for (values 0–6), with the meanings docs/jpki.md#revocation
 * gives them: `affiliationChanged` is a change of the four facts (a move, a new name, death),
 * `superseded` a renewal, `keyCompromise` a lost card, `cessationOfOperation` a card withdrawn.
 */
export const JPKI_REVOCATION_REASONS = [
  "unspecified",
  "keyCompromise",
  "cACompromise",
  "affiliationChanged",
  "superseded",
  "cessationOfOperation",
  "certificateHold",
] as const satisfies readonly TRevocationReason[];

export type TJpkiRevocationReason = (typeof JPKI_REVOCATION_REASONS)[number];

const BY_CODE = new Map<number, TRevocationReason>(REVOCATION_REASONS.map((name) => [CRL_REASON_CODES[name], name]));

/** Maps a CRLReason value to its name; values 7 and above 10 are not defined (DER error). */
export function reasonFromCode(code: number): TRevocationReason {
  const r = BY_CODE.get(code);
  if (r === undefined) derError(`CRLReason ${code} is not defined`);
  return r;
}

/** The CRLReason value of a reason name. */
export function reasonCode(reason: TRevocationReason): number {
  return CRL_REASON_CODES[reason];
}
