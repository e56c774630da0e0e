import { z } from "zod";
import { appendAuditEvent } from "../audit/append-audit-event";
import { ZAuditChannel, ZRequestMetadata } from "../audit/schemas";
import type { PrismaClient } from "../db/client";
import { AppError } from "../errors/app-error";
import { assertPartnerRole, ZPartnerActingUser } from "./partner-roles";

export const ZRevokePartnerCredentialOptions = z
  .object({
    credentialId: z.uuid(),
    /** When given, the credential must belong to this partner (a partner revoking its own key). */
    partnerId: z.uuid().optional(),
    reason: z.string().max(500).optional(),
    actor: z.object({ type: z.enum(["staff", "partner", "system"]), id: z.string().min(1).optional() }),
    /** The console user who acts; required for actor "partner", whose role must allow "credential.revoke". */
    partnerUser: ZPartnerActingUser.optional(),
    channel: ZAuditChannel.optional(),
    requestMetadata: ZRequestMetadata.optional(),
  })
  .refine((o) => o.actor.type !== "partner" || (o.partnerUser !== undefined && o.partnerId !== undefined), {
    message: "A partner acting in its console must name the acting console user and the partner.",
    path: ["partnerUser"],
  });
export type RevokePartnerCredentialOptions = z.input<typeof ZRevokePartnerCredentialOptions>;

/** Revoke a credential at once (idempotent: revoking again keeps the first revokedAt). Audited. */
export async function revokePartnerCredential(
  prisma: PrismaClient,
  options: RevokePartnerCredentialOptions,
): Promise<{ revokedAt: Date }> {
  const input = ZRevokePartnerCredentialOptions.parse(options);
  if (input.partnerUser && input.partnerId) {
    await assertPartnerRole(prisma, {
      partnerId: input.partnerId,
      partnerUser: input.partnerUser,
      action: "credential.revoke",
      requestMetadata: input.requestMetadata,
      data: { credentialId: input.credentialId },
    });
  }
  return prisma.$transaction(async (tx) => {
    const row = await tx.partnerCredential.findUnique({
      where: { id: input.credentialId },
      select: { id: true, partnerId: true, clientId: true, revokedAt: true },
    });
    if (!row || (input.partnerId && row.partnerId !== input.partnerId)) {
      throw new AppError("NOT_FOUND", { message: "No such credential." });
    }
    if (row.revokedAt) return { revokedAt: row.revokedAt };
    const { revokedAt } = await tx.partnerCredential.update({
      where: { id: row.id },
      data: { revokedAt: new Date() },
      select: { revokedAt: true },
    });
    await appendAuditEvent(tx, {
      type: "partner.credential_revoked",
      actor: input.actor,
      channel: input.channel,
      requestMetadata: input.requestMetadata,
      data: {
        partnerId: row.partnerId,
        credentialId: row.id,
        clientId: row.clientId,
        reason: input.reason ?? null,
        ...(input.partnerUser ? { partnerUserId: input.partnerUser.id } : {}),
      },
    });
    return { revokedAt: revokedAt! };
  });
}
