import { z } from "zod";
import type { PrismaClient } from "../db/client";
import { partnerUserDtoSelect, type TPartnerUserDto } from "./partner-user-dto";

export const ZListPartnerUsersOptions = z.object({ partnerId: z.uuid() });
export type ListPartnerUsersOptions = z.input<typeof ZListPartnerUsersOptions>;

/**
 * The partner's console users (active first, then owners, then by e-mail). Any active console
 * user may see the list; changing it is OWNER-only ("user.manage").
 */
export async function listPartnerUsers(
  prisma: PrismaClient,
  options: ListPartnerUsersOptions,
): Promise<TPartnerUserDto[]> {
  const { partnerId } = ZListPartnerUsersOptions.parse(options);
  return prisma.partnerUser.findMany({
    where: { partnerId },
    select: partnerUserDtoSelect,
    orderBy: [{ active: "desc" }, { role: "asc" }, { email: "asc" }],
  });
}
