import { randomUUID } from "node:crypto";
import { z } from "zod";
import { appendAuditEvent } from "../audit/append-audit-event";
import { ZAuditChannel, ZRequestMetadata } from "../audit/schemas";
import type { PrismaClient } from "../db/client";
import { AppError } from "../errors/app-error";
import {
  newClientId,
  newClientSecret,
  partnerCredentialDtoSelect,
  type TCreatedPartnerCredential,
} from "./create-partner-credential";
import { digestApiSecret } from "./api-secret-digest";
import { assertPartnerRole, ZPartnerActingUser } from "./partner-roles";

/** Default overlap of old and new credential after a rotation: a day to roll the new secret out. */
export const DEFAULT_ROTATION_GRACE_SECONDS = 24 * 3600;
/** Longest overlap allowed: a week. */
export const MAX_ROTATION_GRACE_SECONDS = 7 * 24 * 3600;

export const ZRotatePartnerCredentialOptions = z
  .object({
    credentialId: z.uuid(),
    /** When given, the credential must belong to this partner (a partner rotating its own key). */
    partnerId: z.uuid().optional(),
    /** How long the old credential keeps working (0 = stop at once). */
    graceSeconds: z.number().int().min(0).max(MAX_ROTATION_GRACE_SECONDS).default(DEFAULT_ROTATION_GRACE_SECONDS),
    actor: z.object({ type: z.enum(["staff", "partner", "system"]), id: z.string().min(1).optional() }),
    /** The console user who acts; required for actor "partner", whose role must allow "credential.rotate". */
    partnerUser: ZPartnerActingUser.optional(),
    channel: ZAuditChannel.optional(),
    requestMetadata: ZRequestMetadata.optional(),
    now: z.date().optional(),
  })
  .refine((o) => o.actor.type !== "partner" || (o.partnerUser !== undefined && o.partnerId !== undefined), {
    message: "A partner acting in its console must name the acting console user and the partner.",
    path: ["partnerUser"],
  });
export type RotatePartnerCredentialOptions = z.input<typeof ZRotatePartnerCredentialOptions>;

/**
 * Rotate a credential: a NEW credential (new client id and secret; same mode, rate limit and the
 * scopes that are still approved) replaces it, and the old one keeps working only for the grace
 * period (its expiresAt is brought forward to now + grace, never pushed later) and is marked
 * `replacedById`. A new client id rather than a new secret under the same id, so that both can
 * be valid during the roll-out and the logs tell which one a request used. A revoked, expired
 * or already-replaced credential is PARTNER_CREDENTIAL_NOT_ROTATABLE. Audited in one transaction.
 */
export async function rotatePartnerCredential(
  prisma: PrismaClient,
  options: RotatePartnerCredentialOptions,
): Promise<TCreatedPartnerCredential & { previous: { id: string; clientId: string; expiresAt: Date } }> {
  const input = ZRotatePartnerCredentialOptions.parse(options);
  if (input.partnerUser && input.partnerId) {
    await assertPartnerRole(prisma, {
      partnerId: input.partnerId,
      partnerUser: input.partnerUser,
      action: "credential.rotate",
      requestMetadata: input.requestMetadata,
      data: { credentialId: input.credentialId },
    });
  }
  const now = input.now ?? new Date();
  const clientSecret = newClientSecret();
  const secretHash = digestApiSecret(clientSecret);
  const newId = randomUUID();
  return prisma.$transaction(async (tx) => {
    const old = await tx.partnerCredential.findUnique({
      where: { id: input.credentialId },
      select: {
        id: true,
        partnerId: true,
        clientId: true,
        scopes: true,
        mode: true,
        rateLimit: true,
        expiresAt: true,
        revokedAt: true,
        replacedById: true,
        partner: { select: { active: true, approvedScopes: true } },
      },
    });
    if (!old || (input.partnerId && old.partnerId !== input.partnerId)) {
      throw new AppError("NOT_FOUND", { message: "No such credential." });
    }
    if (!old.partner.active) throw new AppError("PARTNER_INACTIVE");
    if (old.revokedAt || old.replacedById || (old.expiresAt && old.expiresAt <= now)) {
      throw new AppError("PARTNER_CREDENTIAL_NOT_ROTATABLE");
    }
    const scopes = old.scopes.filter((s) => old.partner.approvedScopes.includes(s));
    if (scopes.length === 0) {
      throw new AppError("PARTNER_SCOPE_NOT_APPROVED", {
        message: "None of the credential's scopes is still approved; create a new credential.",
        details: { scopes: old.scopes },
      });
    }
    const graceEnd = new Date(now.getTime() + input.graceSeconds * 1000);
    const oldExpiresAt = old.expiresAt && old.expiresAt < graceEnd ? old.expiresAt : graceEnd;
    // The new row first: replacedById has a foreign key, so it may only name a row that exists.
    const created = await tx.partnerCredential.create({
      data: {
        id: newId,
        partnerId: old.partnerId,
        clientId: newClientId(old.mode),
        secretHash,
        secretHint: clientSecret.slice(-4),
        scopes,
        mode: old.mode,
        rateLimit: old.rateLimit,
        // A credential issued with an end date keeps it; the rotation does not extend it.
        expiresAt: old.expiresAt && old.expiresAt > now ? old.expiresAt : null,
      },
      select: partnerCredentialDtoSelect,
    });
    // Guarded write: a concurrent rotation or revocation of the same row makes this a no-op, and
    // the throw rolls back the credential just created.
    const claimed = await tx.partnerCredential.updateMany({
      where: { id: old.id, revokedAt: null, replacedById: null },
      data: { replacedById: newId, expiresAt: oldExpiresAt },
    });
    if (claimed.count === 0) throw new AppError("PARTNER_CREDENTIAL_NOT_ROTATABLE");
    await appendAuditEvent(tx, {
      type: "partner.credential_rotated",
      actor: input.actor,
      channel: input.channel,
      requestMetadata: input.requestMetadata,
      data: {
        partnerId: old.partnerId,
        credentialId: created.id,
        clientId: created.clientId,
        previousCredentialId: old.id,
        previousClientId: old.clientId,
        previousExpiresAt: oldExpiresAt.toISOString(),
        scopes: created.scopes,
        ...(input.partnerUser ? { partnerUserId: input.partnerUser.id } : {}),
      },
    });
    return {
      credential: created,
      clientSecret,
      previous: { id: old.id, clientId: old.clientId, expiresAt: oldExpiresAt },
    };
  });
}
