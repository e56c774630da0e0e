import { z } from "zod";
import { appendAuditEvent } from "../audit/append-audit-event";
import { ZRequestMetadata } from "../audit/schemas";
import { reserveLoginAttempt, type TLoginRateLimits } from "../auth/login-rate-limits";
import type { Prisma, PrismaClient } from "../db/client";
import { AppError } from "../errors/app-error";
import { ZPartnerPassword, newPartnerPasswordData } from "./partner-password";
import { ZPartnerActingUser } from "./partner-roles";
import { recordFailedPassword } from "./partner-user-login";
import { hashPassword, verifySecret } from "./secret-hash";

export const ZChangePartnerUserPasswordOptions = z.object({
  partnerId: z.uuid(),
  /** The logged-in user, who changes their own password (any role). */
  partnerUser: ZPartnerActingUser,
  currentPassword: z.string().max(1024),
  newPassword: ZPartnerPassword,
  requestMetadata: ZRequestMetadata.optional(),
  now: z.date().optional(),
});
export type ChangePartnerUserPasswordOptions = z.input<typeof ZChangePartnerUserPasswordOptions>;

export type TChangePartnerUserPasswordResult = {
  /** The new PartnerUser.sessionVersion: the caller re-issues the current session with it. */
  sessionVersion: number;
  passwordChangedAt: Date;
};

/**
 * A console user changes their own password. The current password is checked as a login checks
 * it, so the form cannot be used to guess passwords with a stolen session: a wrong one is
 * PARTNER_PASSWORD_CURRENT_INVALID and counts against the account's failed-login counter (the
 * tenth in a row locks it, lib/partners/partner-user-login.ts) and the client address's
 * per-address limit (RATE_LIMITED); a locked account is PARTNER_LOGIN_LOCKED before any check.
 * Both are audited `partner.password_change_failed` and write nothing else.
 *
 * On success the new hash (PASSWORD_SCRYPT, computed before the transaction) replaces the one the
 * current password was checked against — compare-and-set, so a concurrent change or reset is not
 * overwritten — and PartnerUser.sessionVersion goes up by one, which ends every console session
 * of the user on its next request (getActivePartnerUser). The caller re-issues the current
 * session with the returned version so that it stays logged in. Audited `partner.password_changed`;
 * the passwords never are.
 */
export async function changePartnerUserPassword(
  prisma: PrismaClient,
  options: ChangePartnerUserPasswordOptions,
  /** `limits: null` turns the per-address limit off (tests of other concerns); default from the env. */
  limits?: { limits?: TLoginRateLimits | null },
): Promise<TChangePartnerUserPasswordResult> {
  const input = ZChangePartnerUserPasswordOptions.parse(options);
  const now = input.now ?? new Date();
  const userId = input.partnerUser.id;
  const audit = (
    tx: Prisma.TransactionClient,
    type: "partner.password_changed" | "partner.password_change_failed",
    data: Record<string, string | boolean>,
  ) =>
    appendAuditEvent(tx, {
      type,
      actor: { type: "partner", id: input.partnerId },
      channel: "console",
      requestMetadata: input.requestMetadata,
      data: { partnerUserId: userId, ...data },
    });

  // The same per-address budget as the login form, taken before the scrypt work.
  const attempt = await reserveLoginAttempt(prisma, {
    method: "partner_password",
    meta: { ip: input.requestMetadata?.ip, userAgent: input.requestMetadata?.userAgent, channel: "console" },
    limits: limits?.limits,
    now,
  });
  const user = await prisma.partnerUser.findFirst({
    where: { id: userId, partnerId: input.partnerId, active: true, partner: { active: true } },
    select: { passwordHash: true, lockedUntil: true },
  });
  // requirePartner() let the session through a moment ago; a user gone since has no session left.
  if (!user) throw new AppError("UNAUTHENTICATED");

  const refuse = async (
    reason: "locked" | "current_password",
    code: "PARTNER_LOGIN_LOCKED" | "PARTNER_PASSWORD_CURRENT_INVALID",
  ): Promise<never> => {
    await prisma.$transaction(async (tx) => {
      if (reason === "current_password") await recordFailedPassword(tx, userId, now);
      await audit(tx, "partner.password_change_failed", { reason, code });
    });
    throw new AppError(code);
  };
  // The user is logged in as this account, so telling them it is locked gives nothing away.
  if (user.lockedUntil && user.lockedUntil > now) return refuse("locked", "PARTNER_LOGIN_LOCKED");
  if (!(await verifySecret(input.currentPassword, user.passwordHash))) {
    return refuse("current_password", "PARTNER_PASSWORD_CURRENT_INVALID");
  }
  // The right password gives the per-address slot back, as a successful login does.
  await attempt.succeeded();
  if (input.newPassword === input.currentPassword) throw new AppError("PARTNER_PASSWORD_UNCHANGED");

  const passwordHash = await hashPassword(input.newPassword);
  return prisma.$transaction(async (tx) => {
    const written = await tx.partnerUser.updateMany({
      where: { id: userId, passwordHash: user.passwordHash },
      data: newPartnerPasswordData(passwordHash, now),
    });
    // Changed or reset by someone else since it was checked: the current password is no longer it.
    if (written.count !== 1) {
      throw new AppError("PARTNER_PASSWORD_CURRENT_INVALID", { message: "The password was changed meanwhile." });
    }
    const { sessionVersion } = await tx.partnerUser.findUniqueOrThrow({
      where: { id: userId },
      select: { sessionVersion: true },
    });
    await audit(tx, "partner.password_changed", { otherSessionsEnded: true });
    return { sessionVersion, passwordChangedAt: now };
  });
}
