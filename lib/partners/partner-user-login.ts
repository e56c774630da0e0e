import { z } from "zod";
import { appendAuditEvent } from "../audit/append-audit-event";
import { type TRequestMetadata, ZRequestMetadata } from "../audit/schemas";
import { reserveLoginAttempt, type TLoginRateLimits } from "../auth/login-rate-limits";
import type { Prisma, PrismaClient } from "../db/client";
import { AppError } from "../errors/app-error";
import { hashPassword, needsRehash, PASSWORD_SCRYPT, verifySecret } from "./secret-hash";

/** After this many consecutive failures the account is locked for {@link LOCK_MS}. */
export const MAX_FAILED_LOGINS = 10;
export const LOCK_MS = 15 * 60 * 1000;

export const ZPartnerLoginInput = z.object({
  email: z.string().trim().toLowerCase().max(254),
  password: z.string().max(1024),
  requestMetadata: ZRequestMetadata.optional(),
  now: z.date().optional(),
});
export type TPartnerLoginInput = z.input<typeof ZPartnerLoginInput>;

export type TPartnerLoginResult = {
  partnerUserId: string;
  partnerId: string;
  displayName: string;
  role: "OWNER" | "DEVELOPER";
  /** PartnerUser.sessionVersion as read before the password check; the session carries it. */
  sessionVersion: number;
};

let dummyHash: Promise<string> | undefined;

/**
 * The hash an unknown e-mail is checked against, so that it costs what a real user's does: at
 * the current password cost (PASSWORD_SCRYPT), computed once per process.
 */
export function partnerLoginDummyHash(): Promise<string> {
  dummyHash ??= hashPassword("ichimai-partner-login-dummy");
  return dummyHash;
}

/**
 * Counts one wrong password against the account (a failed login, or a wrong current password on
 * the change-password page): the tenth in a row locks it for {@link LOCK_MS}. In the caller's
 * transaction, with an atomic increment, so parallel wrong attempts are all counted.
 */
export async function recordFailedPassword(tx: Prisma.TransactionClient, userId: string, now: Date): Promise<void> {
  const updated = await tx.partnerUser.update({
    where: { id: userId },
    data: { failedLogins: { increment: 1 } },
    select: { failedLogins: true },
  });
  if (updated.failedLogins >= MAX_FAILED_LOGINS) {
    await tx.partnerUser.update({
      where: { id: userId },
      data: { lockedUntil: new Date(now.getTime() + LOCK_MS), failedLogins: 0 },
    });
  }
}

/** Normalised login name: trimmed, lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Partner console login with e-mail and password (scrypt, lib/partners/secret-hash.ts, whose
 * comparison is constant-time). An unknown e-mail, an inactive user or partner and a wrong
 * password all answer PARTNER_LOGIN_INVALID after the same scrypt work, so neither the answer nor
 * its timing tells which addresses exist. Ten failures in a row lock the account for 15 minutes
 * (PARTNER_LOGIN_LOCKED, told only to someone who then also knows the password). Every attempt is
 * audited (auth.login_succeeded / auth.login_failed, actor "partner"); the password never is.
 *
 * A stored hash below the current password cost (an older, cheaper scrypt setting) is upgraded on
 * a successful login: the new hash is computed before the transaction (no locks held during
 * scrypt) and written in the transaction that records the login, only if the row still holds the
 * hash the password was checked against. A wrong password never rewrites it. So that an old hash
 * does not make a wrong password (or an inactive user) answer faster than an unknown e-mail, an
 * old hash is always followed by one scrypt at the current cost: the new hash when the password
 * was right, the dummy check otherwise. (An old hash still costs old + new, a little more than an
 * unknown e-mail's one current-cost check, until its user logs in once.)
 */
export async function loginPartnerUser(
  prisma: PrismaClient,
  input: TPartnerLoginInput,
  /** `limits: null` turns the per-address limit off (tests of other concerns); default from the env. */
  options: { limits?: TLoginRateLimits | null } = {},
): Promise<TPartnerLoginResult> {
  const parsed = ZPartnerLoginInput.safeParse(input);
  const email = parsed.success ? parsed.data.email : "";
  const password = parsed.success ? parsed.data.password : "";
  const requestMetadata: TRequestMetadata | undefined = parsed.success ? parsed.data.requestMetadata : undefined;
  const now = (parsed.success ? parsed.data.now : undefined) ?? new Date();

  // Per client address, before any scrypt work (RATE_LIMITED 429, lib/auth/login-rate-limits.ts):
  // a failed attempt keeps its slot, a success gives it back.
  const attempt = await reserveLoginAttempt(prisma, {
    method: "partner_password",
    meta: { ip: requestMetadata?.ip, userAgent: requestMetadata?.userAgent, channel: "console" },
    limits: options.limits,
    now,
  });

  const user = email
    ? await prisma.partnerUser.findUnique({
        where: { email },
        select: {
          id: true,
          partnerId: true,
          displayName: true,
          passwordHash: true,
          role: true,
          active: true,
          lockedUntil: true,
          sessionVersion: true,
          partner: { select: { active: true } },
        },
      })
    : null;
  const passwordOk = await verifySecret(password, user?.passwordHash ?? (await partnerLoginDummyHash()));
  let upgradedHash: string | undefined;
  if (user && needsRehash(user.passwordHash, PASSWORD_SCRYPT)) {
    if (passwordOk) upgradedHash = await hashPassword(password);
    else await verifySecret(password, await partnerLoginDummyHash());
  }

  const fail = async (reason: string, code: "PARTNER_LOGIN_INVALID" | "PARTNER_LOGIN_LOCKED") => {
    await prisma.$transaction(async (tx) => {
      if (user && reason === "password") await recordFailedPassword(tx, user.id, now);
      await appendAuditEvent(tx, {
        type: "auth.login_failed",
        actor: user ? { type: "partner", id: user.partnerId } : { type: "partner" },
        channel: "console",
        requestMetadata,
        data: { method: "password", reason, code, ...(user ? { partnerUserId: user.id } : {}) },
      });
    });
    throw new AppError(code);
  };

  if (!user) return fail("unknown_email", "PARTNER_LOGIN_INVALID");
  if (!passwordOk) return fail("password", "PARTNER_LOGIN_INVALID");
  if (!user.active || !user.partner.active) return fail("inactive", "PARTNER_LOGIN_INVALID");
  if (user.lockedUntil && user.lockedUntil > now) return fail("locked", "PARTNER_LOGIN_LOCKED");

  await prisma.$transaction(async (tx) => {
    await tx.partnerUser.update({
      where: { id: user.id },
      data: { lastLoginAt: now, failedLogins: 0, lockedUntil: null },
    });
    // Compare-and-set: a password changed since it was read is not overwritten with the old one.
    const rehashed = upgradedHash
      ? (
          await tx.partnerUser.updateMany({
            where: { id: user.id, passwordHash: user.passwordHash },
            data: { passwordHash: upgradedHash },
          })
        ).count === 1
      : false;
    await appendAuditEvent(tx, {
      type: "auth.login_succeeded",
      actor: { type: "partner", id: user.partnerId },
      channel: "console",
      requestMetadata,
      data: { method: "password", partnerUserId: user.id, ...(rehashed ? { passwordRehashed: true } : {}) },
    });
  });
  await attempt.succeeded();
  return {
    partnerUserId: user.id,
    partnerId: user.partnerId,
    displayName: user.displayName,
    role: user.role,
    sessionVersion: user.sessionVersion,
  };
}

/**
 * The user behind a console session, or null when it no longer may use the console: the user or
 * its partner was deactivated, or the session was issued before the user's password was changed
 * or reset (`sessionVersion` older than PartnerUser.sessionVersion; a session from before the
 * column existed carries none and counts as 0). Read on every request (requirePartner), so each
 * of these ends an open session on its next request.
 */
export async function getActivePartnerUser(
  prisma: PrismaClient,
  partnerUserId: string,
  /** The PartnerUser.sessionVersion the session was issued at. */
  sessionVersion: number,
): Promise<{
  partnerUserId: string;
  partnerId: string;
  displayName: string;
  role: "OWNER" | "DEVELOPER";
  partnerName: string;
  partnerNameEn: string;
  approvedScopes: string[];
} | null> {
  if (!z.uuid().safeParse(partnerUserId).success) return null;
  const user = await prisma.partnerUser.findUnique({
    where: { id: partnerUserId },
    select: {
      id: true,
      displayName: true,
      role: true,
      active: true,
      sessionVersion: true,
      partner: { select: { id: true, active: true, name: true, nameEn: true, approvedScopes: true } },
    },
  });
  if (!user?.active || !user.partner.active) return null;
  if (user.sessionVersion !== sessionVersion) return null;
  return {
    partnerUserId: user.id,
    partnerId: user.partner.id,
    displayName: user.displayName,
    role: user.role,
    partnerName: user.partner.name,
    partnerNameEn: user.partner.nameEn,
    approvedScopes: user.partner.approvedScopes,
  };
}
