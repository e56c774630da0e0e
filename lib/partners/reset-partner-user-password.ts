import { z } from "zod";
import { appendAuditEvent } from "../audit/append-audit-event";
import { ZRequestMetadata } from "../audit/schemas";
import type { PrismaClient } from "../db/client";
import { AppError } from "../errors/app-error";
import { newInitialPassword } from "./create-partner-user";
import { assertPartnerRole, refusePartnerAction, ZPartnerActingUser } from "./partner-roles";
import { partnerUserDtoSelect, type TPartnerUserDto } from "./partner-user-dto";
import { newPartnerPasswordData } from "./partner-password";
import { hashPassword } from "./secret-hash";

export const ZResetPartnerUserPasswordOptions = z.object({
  partnerId: z.uuid(),
  /** The OWNER who resets the password. */
  partnerUser: ZPartnerActingUser,
  targetUserId: z.uuid(),
  requestMetadata: ZRequestMetadata.optional(),
  now: z.date().optional(),
});
export type ResetPartnerUserPasswordOptions = z.input<typeof ZResetPartnerUserPasswordOptions>;

/**
 * An OWNER gives another console user of the partner a new, generated password (returned once,
 * like a new user's; only its scrypt hash is stored), for a user who forgot theirs or whose
 * password may be known to someone else. It also clears the user's failed-login count and lock
 * and raises PartnerUser.sessionVersion, so every open session of that user ends on its next
 * request. Role `user.manage` (PARTNER_ROLE_FORBIDDEN for a DEVELOPER, audited); the target must
 * be one of the partner's users (NOT_FOUND); an owner's own password is refused
 * (PARTNER_PASSWORD_RESET_SELF, audited): they change it on the change-password page, which asks
 * for the current one. A deactivated user may be reset too (it cannot log in until reactivated).
 * Audited as partner.user_changed (operation "password_reset") with what changed, never the password.
 */
export async function resetPartnerUserPassword(
  prisma: PrismaClient,
  options: ResetPartnerUserPasswordOptions,
): Promise<{ user: TPartnerUserDto; password: string }> {
  // The role first: a DEVELOPER is refused (and audited) whatever else the request holds.
  const who = ZResetPartnerUserPasswordOptions.pick({
    partnerId: true,
    partnerUser: true,
    requestMetadata: true,
  }).parse(options);
  const refusal = { operation: "password_reset", targetUserId: String(options.targetUserId).slice(0, 64) };
  await assertPartnerRole(prisma, { ...who, action: "user.manage", data: refusal });
  const input = ZResetPartnerUserPasswordOptions.parse(options);
  if (input.targetUserId === input.partnerUser.id) {
    return refusePartnerAction(prisma, {
      ...who,
      action: "user.manage",
      code: "PARTNER_PASSWORD_RESET_SELF",
      data: refusal,
    });
  }
  const now = input.now ?? new Date();
  const password = newInitialPassword();
  // Hash before the transaction: scrypt at the password cost takes a few hundred milliseconds.
  const passwordHash = await hashPassword(password);
  const user = await prisma.$transaction(async (tx) => {
    const target = await tx.partnerUser.findFirst({
      where: { id: input.targetUserId, partnerId: input.partnerId },
      select: { id: true, failedLogins: true, lockedUntil: true },
    });
    if (!target) throw new AppError("NOT_FOUND", { message: "No such console user." });
    const updated = await tx.partnerUser.update({
      where: { id: target.id },
      data: newPartnerPasswordData(passwordHash, now),
      select: partnerUserDtoSelect,
    });
    await appendAuditEvent(tx, {
      type: "partner.user_changed",
      actor: { type: "partner", id: input.partnerId },
      channel: "console",
      requestMetadata: input.requestMetadata,
      data: {
        operation: "password_reset",
        partnerUserId: input.partnerUser.id,
        targetUserId: target.id,
        email: updated.email,
        passwordSetBy: "generated",
        sessionsEnded: true,
        failedLoginsCleared: target.failedLogins,
        lockCleared: target.lockedUntil !== null && target.lockedUntil > now,
      },
    });
    return updated;
  });
  return { user, password };
}
