import type { PrismaClient } from "../db/client";
import { applyPartnerUserChange } from "./apply-partner-user-change";
import type { TPartnerActingUser, TPartnerUserRole } from "./partner-roles";
import type { TPartnerUserDto } from "./partner-user-dto";
import type { TRequestMetadata } from "../audit/schemas";

export type ChangePartnerUserRoleOptions = {
  partnerId: string;
  /** The OWNER who acts. */
  partnerUser: TPartnerActingUser;
  targetUserId: string;
  role: TPartnerUserRole;
  requestMetadata?: TRequestMetadata;
};

/**
 * An OWNER makes a console user OWNER or DEVELOPER. Demoting the last active OWNER (themself
 * included) is PARTNER_LAST_OWNER. The new role applies from the user's next request, since the
 * session re-reads the role each time. Audited (partner.user_changed, "role_changed").
 */
export async function changePartnerUserRole(
  prisma: PrismaClient,
  options: ChangePartnerUserRoleOptions,
): Promise<TPartnerUserDto> {
  const { role, ...rest } = options;
  return applyPartnerUserChange(prisma, { ...rest, change: { role } });
}
