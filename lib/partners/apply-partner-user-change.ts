import { z } from "zod";
import { appendAuditEvent } from "../audit/append-audit-event";
import { ZRequestMetadata } from "../audit/schemas";
import type { PrismaClient } from "../db/client";
import { AppError } from "../errors/app-error";
import { assertPartnerRole, refusePartnerAction, ZPartnerActingUser, ZPartnerUserRole } from "./partner-roles";
import { partnerUserDtoSelect, type TPartnerUserDto } from "./partner-user-dto";

export const ZPartnerUserChangeOptions = z.object({
  partnerId: z.uuid(),
  /** The OWNER who changes the user. */
  partnerUser: ZPartnerActingUser,
  targetUserId: z.uuid(),
  change: z.union([z.object({ role: ZPartnerUserRole }), z.object({ active: z.boolean() })]),
  requestMetadata: ZRequestMetadata.optional(),
});
export type TPartnerUserChangeOptions = z.input<typeof ZPartnerUserChangeOptions>;

/**
 * Shared by changePartnerUserRole and setPartnerUserActive: OWNER only; the target must be one
 * of the partner's users (NOT_FOUND otherwise, also for another partner's); a change that would
 * leave the partner with no active OWNER is refused (PARTNER_LAST_OWNER, audited). The partner
 * row is locked first, so two owners demoting each other at the same moment cannot both succeed.
 * A change to the current value is a no-op and not audited.
 */
export async function applyPartnerUserChange(
  prisma: PrismaClient,
  options: TPartnerUserChangeOptions,
): Promise<TPartnerUserDto> {
  // The role first: a DEVELOPER is refused (and audited) whatever else the request holds.
  const who = ZPartnerUserChangeOptions.pick({ partnerId: true, partnerUser: true, requestMetadata: true }).parse(
    options,
  );
  await assertPartnerRole(prisma, {
    ...who,
    action: "user.manage",
    data: { targetUserId: String(options.targetUserId).slice(0, 64) },
  });
  const input = ZPartnerUserChangeOptions.parse(options);
  const operation =
    "role" in input.change ? "role_changed" : input.change.active ? "user_reactivated" : "user_deactivated";
  const refusal = { operation, targetUserId: input.targetUserId };
  const result = await prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT 1 FROM "Partner" WHERE "id" = ${input.partnerId}::uuid FOR UPDATE`;
    const target = await tx.partnerUser.findFirst({
      where: { id: input.targetUserId, partnerId: input.partnerId },
      select: partnerUserDtoSelect,
    });
    if (!target) throw new AppError("NOT_FOUND", { message: "No such console user." });
    const role = "role" in input.change ? input.change.role : target.role;
    const active = "active" in input.change ? input.change.active : target.active;
    if (role === target.role && active === target.active) return { user: target };
    const removesAnOwner = target.role === "OWNER" && target.active && (role !== "OWNER" || !active);
    if (removesAnOwner) {
      const others = await tx.partnerUser.count({
        where: { partnerId: input.partnerId, role: "OWNER", active: true, id: { not: target.id } },
      });
      if (others === 0) return { refused: true as const };
    }
    const user = await tx.partnerUser.update({
      where: { id: target.id },
      // Reactivating starts with a clean failed-login count.
      data: { role, active, ...(active && !target.active ? { failedLogins: 0, lockedUntil: null } : {}) },
      select: partnerUserDtoSelect,
    });
    await appendAuditEvent(tx, {
      type: "partner.user_changed",
      actor: { type: "partner", id: input.partnerId },
      channel: "console",
      requestMetadata: input.requestMetadata,
      data: {
        operation,
        partnerUserId: input.partnerUser.id,
        targetUserId: target.id,
        previousRole: target.role,
        role: user.role,
        active: user.active,
      },
    });
    return { user };
  });
  if ("refused" in result) {
    return refusePartnerAction(prisma, {
      partnerId: input.partnerId,
      partnerUser: input.partnerUser,
      action: "user.manage",
      code: "PARTNER_LAST_OWNER",
      requestMetadata: input.requestMetadata,
      data: refusal,
    });
  }
  return result.user;
}
