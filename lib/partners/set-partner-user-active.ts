import type { TRequestMetadata } from "../audit/schemas";
import type { PrismaClient } from "../db/client";
import { applyPartnerUserChange } from "./apply-partner-user-change";
import type { TPartnerActingUser } from "./partner-roles";
import type { TPartnerUserDto } from "./partner-user-dto";

export type SetPartnerUserActiveOptions = {
  partnerId: string;
  /** The OWNER who acts. */
  partnerUser: TPartnerActingUser;
  targetUserId: string;
  active: boolean;
  requestMetadata?: TRequestMetadata;
};

/**
 * An OWNER deactivates (or reactivates) a console user. A deactivated user cannot log in
 * (PARTNER_LOGIN_INVALID) and an open session of theirs ends on its next request
 * (getActivePartnerUser). Deactivating the last active OWNER, themself included, is
 * PARTNER_LAST_OWNER. Users are deactivated, never deleted, so the audit trail keeps its actors.
 * Audited (partner.user_changed, "user_deactivated" / "user_reactivated").
 */
export async function setPartnerUserActive(
  prisma: PrismaClient,
  options: SetPartnerUserActiveOptions,
): Promise<TPartnerUserDto> {
  const { active, ...rest } = options;
  return applyPartnerUserChange(prisma, { ...rest, change: { active } });
}
