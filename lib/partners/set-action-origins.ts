import { z } from "zod";
import { appendAuditEvent } from "../audit/append-audit-event";
import type { TRequestMetadata } from "../audit/schemas";
import type { PrismaClient } from "../db/client";
import { AppError } from "../errors/app-error";
import { SCOPE_DECIDER_ROLES } from "./scope-requests";
import { ZActionOrigin } from "../mailbox/action-links";

export const ZSetActionOriginsInput = z.object({
  partnerId: z.uuid(),
  /** Bare https origins (`https://pay.example.jp`); duplicates collapse. At most 20. */
  origins: z.array(ZActionOrigin).max(20),
});

/**
 * Staff set the origins a partner's documents may link their (unsigned) actions to
 * (Partner.actionOrigins, action-links.ts). Only active staff with an ADMIN or SUPERVISOR role,
 * like scope decisions (FORBIDDEN otherwise); audited `partner.action_origins_changed` with the
 * old and new lists, in the same transaction.
 */
export async function setPartnerActionOrigins(
  prisma: PrismaClient,
  options: { staffId: string; input: z.input<typeof ZSetActionOriginsInput>; requestMetadata?: TRequestMetadata },
): Promise<{ origins: string[] }> {
  const input = ZSetActionOriginsInput.parse(options.input);
  const origins = [...new Set(input.origins)].sort();
  return prisma.$transaction(async (tx) => {
    const staff = await tx.staffMember.findUnique({
      where: { id: options.staffId },
      select: { active: true, roles: true },
    });
    if (!staff?.active || !staff.roles.some((r) => (SCOPE_DECIDER_ROLES as readonly string[]).includes(r))) {
      throw new AppError("FORBIDDEN", { message: "Only an administrator or supervisor may set action origins." });
    }
    const before = await tx.partner.findUnique({ where: { id: input.partnerId }, select: { actionOrigins: true } });
    if (!before) throw new AppError("NOT_FOUND");
    await tx.partner.update({ where: { id: input.partnerId }, data: { actionOrigins: origins } });
    await appendAuditEvent(tx, {
      type: "partner.action_origins_changed",
      actor: { type: "staff", id: options.staffId },
      channel: "console",
      requestMetadata: options.requestMetadata,
      data: { partnerId: input.partnerId, before: before.actionOrigins, after: origins },
    });
    return { origins };
  });
}
