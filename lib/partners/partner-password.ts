import { ZSafeText } from "../http/safe-text";

/** Shortest console password a person may choose (an owner for a new user, or the user themself). */
export const MIN_PARTNER_PASSWORD_LENGTH = 12;
/** Longest console password accepted (bounds the scrypt input). */
export const MAX_PARTNER_PASSWORD_LENGTH = 200;

/**
 * A console password chosen by a person: the one rule for the users page (an owner sets a new
 * user's password) and the change-password page. The messages are keys of the forms'
 * `fieldErrors` (messages/*.json), so a form shows the refusal on the field.
 */
export const ZPartnerPassword = ZSafeText.min(MIN_PARTNER_PASSWORD_LENGTH, "passwordTooShort").max(
  MAX_PARTNER_PASSWORD_LENGTH,
  "passwordTooLong",
);

/**
 * The row update of a new console password, by its user (change) or an owner (reset): the new
 * hash, when, the failed-login count and lock cleared, and `sessionVersion` + 1 so every session
 * issued before ends on its next request.
 */
export function newPartnerPasswordData(passwordHash: string, now: Date) {
  return {
    passwordHash,
    passwordChangedAt: now,
    sessionVersion: { increment: 1 },
    failedLogins: 0,
    lockedUntil: null,
  } as const;
}
