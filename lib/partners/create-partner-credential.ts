import { randomBytes } from "node:crypto";
import { z } from "zod";
import { appendAuditEvent } from "../audit/append-audit-event";
import { ZAuditChannel, ZRequestMetadata } from "../audit/schemas";
import type { PrismaClient } from "../db/client";
import { AppError } from "../errors/app-error";
import { assertPartnerRole, ZPartnerActingUser } from "./partner-roles";
import { digestApiSecret } from "./api-secret-digest";
import { ZApiScope } from "./scopes";

export const ZCredentialMode = z.enum(["TEST", "LIVE"]);
export type TCredentialMode = z.infer<typeof ZCredentialMode>;

export const ZCreatePartnerCredentialOptions = z
  .object({
    partnerId: z.uuid(),
    mode: ZCredentialMode.default("TEST"),
    scopes: z.array(ZApiScope).min(1),
    expiresAt: z.date().optional(),
    /** Requests per minute. */
    rateLimit: z.number().int().min(1).max(100_000).optional(),
    /** Who issues it: staff in the admin console, the partner in its console, or a system job. */
    actor: z.object({ type: z.enum(["staff", "partner", "system"]), id: z.string().min(1).optional() }),
    /** The console user who acts; required for actor "partner", whose role must allow "credential.issue". */
    partnerUser: ZPartnerActingUser.optional(),
    channel: ZAuditChannel.optional(),
    requestMetadata: ZRequestMetadata.optional(),
  })
  .refine((o) => o.actor.type !== "partner" || (o.partnerUser !== undefined && o.partnerId !== undefined), {
    message: "A partner acting in its console must name the acting console user and the partner.",
    path: ["partnerUser"],
  });
export type CreatePartnerCredentialOptions = z.input<typeof ZCreatePartnerCredentialOptions>;

/** A credential as the consoles may show it: never the secret or its hash. */
export type TPartnerCredentialDto = {
  id: string;
  partnerId: string;
  clientId: string;
  secretHint: string;
  scopes: string[];
  mode: TCredentialMode;
  rateLimit: number;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
};

export type TCreatedPartnerCredential = {
  credential: TPartnerCredentialDto;
  /** Shown once to the partner; only its keyed digest is stored (api-secret-digest.ts). */
  clientSecret: string;
};

/** `ich_test_…` / `ich_live_…`: the mode is visible in the id so a test key is never mistaken for live. */
export function newClientId(mode: TCredentialMode): string {
  return `ich_${mode.toLowerCase()}_${randomBytes(12).toString("hex")}`;
}

/** 256 random bits; the prefix lets secret scanners recognise a leaked ichimai secret. */
export function newClientSecret(): string {
  return `ich_secret_${randomBytes(32).toString("base64url")}`;
}

export const partnerCredentialDtoSelect = {
  id: true,
  partnerId: true,
  clientId: true,
  secretHint: true,
  scopes: true,
  mode: true,
  rateLimit: true,
  createdAt: true,
  expiresAt: true,
  revokedAt: true,
} as const;

/**
 * Issue an API credential for a partner: a random client id and secret, the secret stored only
 * as its HMAC-SHA256 digest (lib/partners/api-secret-digest.ts). The scopes must be among those municipal staff approved for the partner.
 * The issue is audited (without the secret) in the same transaction.
 */
export async function createPartnerCredential(
  prisma: PrismaClient,
  options: CreatePartnerCredentialOptions,
): Promise<TCreatedPartnerCredential> {
  const input = ZCreatePartnerCredentialOptions.parse(options);
  if (input.partnerUser) {
    await assertPartnerRole(prisma, {
      partnerId: input.partnerId,
      partnerUser: input.partnerUser,
      action: "credential.issue",
      requestMetadata: input.requestMetadata,
    });
  }
  const clientSecret = newClientSecret();
  const secretHash = digestApiSecret(clientSecret);
  const credential = await prisma.$transaction(async (tx) => {
    const partner = await tx.partner.findUnique({
      where: { id: input.partnerId },
      select: { id: true, active: true, approvedScopes: true },
    });
    if (!partner) throw new AppError("NOT_FOUND", { message: "No such partner." });
    if (!partner.active) throw new AppError("PARTNER_INACTIVE");
    const notApproved = input.scopes.filter((s) => !partner.approvedScopes.includes(s));
    if (notApproved.length > 0) {
      throw new AppError("PARTNER_SCOPE_NOT_APPROVED", {
        message: `Scopes not approved for this partner: ${notApproved.join(", ")}.`,
        details: { scopes: notApproved },
      });
    }
    const created = await tx.partnerCredential.create({
      data: {
        partnerId: partner.id,
        clientId: newClientId(input.mode),
        secretHash,
        secretHint: clientSecret.slice(-4),
        scopes: [...new Set(input.scopes)],
        mode: input.mode,
        rateLimit: input.rateLimit,
        expiresAt: input.expiresAt,
      },
      select: partnerCredentialDtoSelect,
    });
    await appendAuditEvent(tx, {
      type: "partner.credential_created",
      actor: input.actor,
      channel: input.channel,
      requestMetadata: input.requestMetadata,
      data: {
        partnerId: partner.id,
        credentialId: created.id,
        clientId: created.clientId,
        mode: created.mode,
        scopes: created.scopes,
        expiresAt: created.expiresAt?.toISOString() ?? null,
        ...(input.partnerUser ? { partnerUserId: input.partnerUser.id } : {}),
      },
    });
    return created;
  });
  return { credential, clientSecret };
}
