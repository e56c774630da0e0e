import { randomBytes } from "node:crypto";
import { z } from "zod";
import { appendAuditEvent } from "../audit/append-audit-event";
import { ZRequestMetadata } from "../audit/schemas";
import type { PrismaClient } from "../db/client";
import { Prisma } from "../db/client";
import { AppError } from "../errors/app-error";
import { assertPartnerRole, ZPartnerActingUser, ZPartnerUserRole } from "./partner-roles";
import { ZPartnerPassword } from "./partner-password";
import { partnerUserDtoSelect, type TPartnerUserDto } from "./partner-user-dto";
import { hashPassword } from "./secret-hash";

export const ZCreatePartnerUserOptions = z.object({
  partnerId: z.uuid(),
  /** The OWNER who adds the user. */
  partnerUser: ZPartnerActingUser,
  email: z.string().trim().toLowerCase().pipe(z.email().max(254)),
  displayName: z.string().trim().min(1).max(100),
  role: ZPartnerUserRole,
  /** Set by the owner; when absent a random one is generated and returned once. */
  password: ZPartnerPassword.optional(),
  requestMetadata: ZRequestMetadata.optional(),
});
export type CreatePartnerUserOptions = z.input<typeof ZCreatePartnerUserOptions>;

/** 120 random bits, 20 characters: typed once by the new user, then kept in their password manager. */
export function newInitialPassword(): string {
  return randomBytes(15).toString("base64url");
}

/**
 * An OWNER adds a console user to its partner (PARTNER_ROLE_FORBIDDEN for anyone else, audited).
 * The password is the owner's or a generated one; a generated one is returned once
 * (`initialPassword`) and only its scrypt hash is stored. An e-mail address already in use — by
 * this or another partner, since it is the login name — is PARTNER_USER_EMAIL_TAKEN. Audited as
 * partner.user_changed (operation "user_created"), never with the password.
 */
export async function createPartnerUser(
  prisma: PrismaClient,
  options: CreatePartnerUserOptions,
): Promise<{ user: TPartnerUserDto; initialPassword?: string }> {
  // The role first: a DEVELOPER is refused (and audited) whatever else the request holds.
  const who = ZCreatePartnerUserOptions.pick({ partnerId: true, partnerUser: true, requestMetadata: true }).parse(
    options,
  );
  await assertPartnerRole(prisma, { ...who, action: "user.manage", data: { operation: "user_created" } });
  const input = ZCreatePartnerUserOptions.parse(options);
  const initialPassword = input.password ? undefined : newInitialPassword();
  // Hash before the transaction: scrypt at the password cost takes a few hundred milliseconds.
  const passwordHash = await hashPassword(input.password ?? initialPassword ?? "");
  try {
    const user = await prisma.$transaction(async (tx) => {
      const partner = await tx.partner.findUnique({ where: { id: input.partnerId }, select: { active: true } });
      if (!partner) throw new AppError("NOT_FOUND", { message: "No such partner." });
      if (!partner.active) throw new AppError("PARTNER_INACTIVE");
      if (await tx.partnerUser.findUnique({ where: { email: input.email }, select: { id: true } })) {
        throw new AppError("PARTNER_USER_EMAIL_TAKEN");
      }
      const created = await tx.partnerUser.create({
        data: {
          partnerId: input.partnerId,
          email: input.email,
          displayName: input.displayName,
          passwordHash,
          role: input.role,
        },
        select: partnerUserDtoSelect,
      });
      await appendAuditEvent(tx, {
        type: "partner.user_changed",
        actor: { type: "partner", id: input.partnerId },
        channel: "console",
        requestMetadata: input.requestMetadata,
        data: {
          operation: "user_created",
          partnerUserId: input.partnerUser.id,
          targetUserId: created.id,
          email: created.email,
          role: created.role,
          passwordSetBy: input.password ? "owner" : "generated",
        },
      });
      return created;
    });
    return initialPassword ? { user, initialPassword } : { user };
  } catch (err) {
    // Two owners adding the same address at once: the unique index decides.
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
      throw new AppError("PARTNER_USER_EMAIL_TAKEN");
    }
    throw err;
  }
}
