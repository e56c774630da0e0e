/**
 * Partner onboarding by municipal staff (/admin/partners): register a partner (names, kind,
 * 法人番号, the owner's name and e-mail, optionally the CSR of its organisation signing key, which
 * the partner CA certifies), suspend and reactivate it, and the owner's one-time invitation into
 * the partner console. Staff need PARTNER_OFFICER or ADMIN (FORBIDDEN otherwise). Every change is
 * audited (actor staff, channel console); the invitation token is never stored or logged, only its
 * SHA-256.
 *
 * Suspension is `Partner.active = false`, which every partner path already refuses with the stable
 * PARTNER_INACTIVE (API credentials: verify-partner-credential.ts; deliveries: deliver-document.ts
 * and deliver-bulk.ts; kiosks: authenticate-terminal-device.ts; console login). Reactivation
 * restores all of it; nothing is revoked or deleted by a suspension.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Transporter } from "nodemailer";
import { z } from "zod";
import { appendAuditEvent } from "../audit/append-audit-event";
import { ZRequestMetadata } from "../audit/schemas";
import type { Prisma, PrismaClient } from "../db/client";
import { AppError } from "../errors/app-error";
import { parseCertificate } from "../jpki/certificate";
import { readOrganizationIdentity } from "../jpki/organization-certificate";
import { ZCorporateNumber } from "./corporate-number";
import { type TPartnerCaClient, publicKeyOfCsr } from "./partner-ca-client";
import { hashPassword } from "./secret-hash";
import { newPartnerPasswordData, ZPartnerPassword } from "./partner-password";

/** Staff roles that onboard, suspend and reactivate partners. */
export const PARTNER_ONBOARDING_ROLES = ["PARTNER_OFFICER", "ADMIN"] as const;

/** How long an invitation link is valid. */
export const PARTNER_INVITATION_TTL_MS = 7 * 86_400_000;

/** Stored instead of a password hash until the owner accepts the invitation: no password matches it. */
export const INVITED_PASSWORD_HASH = "invited$not-a-password";

export const PARTNER_KINDS = [
  "GOVERNMENT",
  "HEALTH_INSURER",
  "LIFE_INSURER",
  "BANK",
  "HOSPITAL",
  "BUS_OPERATOR",
  "EMPLOYER",
  "PAYMENT_PROCESSOR",
  "CATV_OPERATOR",
] as const satisfies readonly Prisma.PartnerCreateInput["kind"][];

const ZName = z.string().trim().min(1).max(128);

export const ZRegisterPartner = z.object({
  staffId: z.uuid(),
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/),
  name: ZName,
  nameEn: ZName,
  kind: z.enum(PARTNER_KINDS),
  corporateNumber: ZCorporateNumber,
  ownerName: z.string().trim().min(1).max(100),
  ownerEmail: z
    .email()
    .max(254)
    .transform((e) => e.toLowerCase()),
  /** PKCS#10 of the partner's organisation signing key (PEM or base64 DER); none: no certificate yet. */
  csr: z.string().max(20_000).optional(),
  requestMetadata: ZRequestMetadata.optional(),
  now: z.date().optional(),
});
export type TRegisterPartner = z.input<typeof ZRegisterPartner>;

export type TPartnerInvitationMailer = {
  transport: Pick<Transporter, "sendMail">;
  /** RFC 5322 From (env MAIL_FROM). */
  from: string;
};

export type TRegisterPartnerDeps = {
  /** The organisation CA; needed only when a CSR is given. */
  partnerCa?: TPartnerCaClient;
  /** SMTP; without it the invitation link is returned for staff to pass on (`mailed: false`). */
  mailer?: TPartnerInvitationMailer;
  /** Origin of the portal, for the invitation link (env PORTAL_ORIGIN). */
  portalOrigin: string;
};

export type TRegisteredPartner = {
  partnerId: string;
  ownerUserId: string;
  certificate: { der: Uint8Array; serialHex: string; notAfter: Date } | null;
  invitationUrl: string;
  invitationExpiresAt: Date;
  mailed: boolean;
};

async function assertOnboardingStaff(tx: Prisma.TransactionClient | PrismaClient, staffId: string) {
  const staff = await tx.staffMember.findUnique({ where: { id: staffId }, select: { active: true, roles: true } });
  if (!staff?.active || !staff.roles.some((r) => (PARTNER_ONBOARDING_ROLES as readonly string[]).includes(r))) {
    throw new AppError("FORBIDDEN", { message: "Only a partner officer or an administrator onboards partners." });
  }
}

const tokenHashOf = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

/** The invitation link of a token. */
export function partnerInvitationUrl(portalOrigin: string, token: string): string {
  return `${new URL(portalOrigin).origin}/partner/invitation/${token}`;
}

/** The invitation e-mail (ja, then en): who invites, to which partner, the link and its expiry. */
export function composePartnerInvitationMail(o: {
  ownerName: string;
  partnerName: string;
  partnerNameEn: string;
  url: string;
  expiresAt: Date;
}): { subject: string; text: string } {
  const until = o.expiresAt.toISOString().slice(0, 16).replace("T", " ");
  return {
    subject: "【ichimai】パートナーコンソールへの招待 / Invitation to the ichimai partner console",
    text: [
      `${o.ownerName} 様`,
      "",
      `${o.partnerName} が ichimai のパートナーとして登録されました。次のリンクからパスワードを設定し、パートナーコンソールにログインしてください。`,
      "このリンクは一度だけ使えます。",
      "",
      o.url,
      "",
      `有効期限: ${until} (UTC)`,
      "",
      "---",
      "",
      `${o.partnerNameEn} has been registered as an ichimai partner. Open the link above once to set your password and sign in to the partner console.`,
      `The link expires at ${until} UTC.`,
      "",
      "心当たりのない場合はこのメールを破棄してください。 / If you did not expect this, ignore this e-mail.",
    ].join("\n"),
  };
}

async function mailInvitation(
  mailer: TPartnerInvitationMailer | undefined,
  o: Parameters<typeof composePartnerInvitationMail>[0] & { to: string },
): Promise<boolean> {
  if (!mailer) return false;
  const mail = composePartnerInvitationMail(o);
  try {
    await mailer.transport.sendMail({ from: mailer.from, to: o.to, subject: mail.subject, text: mail.text });
    return true;
  } catch {
    // The registration stands; staff see the link (mailed: false) and can pass it on or re-send.
    return false;
  }
}

/**
 * Register a partner: checks the staff role, the 法人番号's check digit
 * (PARTNER_CORPORATE_NUMBER_INVALID) and, when a CSR is given, its self-signature
 * (PARTNER_CSR_INVALID); asks the partner CA for the organisation certificate (before the
 * transaction: PARTNER_CA_UNAVAILABLE leaves nothing written) and checks it names this partner and
 * certifies the CSR's key. Then, in one transaction: the Partner (active, no scopes — the owner
 * requests them in the console and staff approve), its PartnerRegistration, the OWNER console user
 * (no usable password until the invitation is accepted) and the invitation; audited
 * `partner.registered` and `partner.invitation_sent`. A slug or 法人番号 in use is
 * PARTNER_ALREADY_REGISTERED, an owner e-mail in use PARTNER_USER_EMAIL_TAKEN. The e-mail leaves
 * after the commit.
 */
export async function registerPartner(
  prisma: PrismaClient,
  options: TRegisterPartner,
  deps: TRegisterPartnerDeps,
): Promise<TRegisteredPartner> {
  const parsed = ZRegisterPartner.safeParse(options);
  if (!parsed.success) {
    if (parsed.error.issues.some((i) => i.message === "PARTNER_CORPORATE_NUMBER_INVALID")) {
      throw new AppError("PARTNER_CORPORATE_NUMBER_INVALID");
    }
    throw parsed.error;
  }
  const input = parsed.data;
  const now = input.now ?? new Date();
  await assertOnboardingStaff(prisma, input.staffId);

  let certificate: TRegisteredPartner["certificate"] = null;
  if (input.csr?.trim()) {
    const spki = await publicKeyOfCsr(input.csr);
    if (!deps.partnerCa) throw new AppError("PARTNER_CA_UNAVAILABLE", { message: "No partner CA is configured." });
    const der = await deps.partnerCa.issueOrganizationCertificate({
      subjectPublicKeyInfo: spki,
      organizationName: input.name,
      partnerSlug: input.slug,
    });
    let cert: ReturnType<typeof parseCertificate>;
    try {
      cert = parseCertificate(der);
      if (readOrganizationIdentity(der).partnerSlug !== input.slug) throw new Error("slug");
      if (!Buffer.from(cert.spki).equals(Buffer.from(spki))) throw new Error("key");
    } catch (cause) {
      throw new AppError("PARTNER_CA_UNAVAILABLE", {
        message: "The partner CA issued an unexpected certificate.",
        cause,
      });
    }
    certificate = { der, serialHex: cert.serialHex, notAfter: cert.notAfter };
  }

  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + PARTNER_INVITATION_TTL_MS);
  const created = await prisma.$transaction(async (tx) => {
    await assertOnboardingStaff(tx, input.staffId);
    const taken = await tx.partner.findFirst({
      where: { OR: [{ slug: input.slug }, { registration: { corporateNumber: input.corporateNumber } }] },
      select: { id: true },
    });
    if (taken) throw new AppError("PARTNER_ALREADY_REGISTERED");
    if (await tx.partnerUser.findUnique({ where: { email: input.ownerEmail }, select: { id: true } })) {
      throw new AppError("PARTNER_USER_EMAIL_TAKEN");
    }
    const partner = await tx.partner.create({
      data: {
        slug: input.slug,
        name: input.name,
        nameEn: input.nameEn,
        kind: input.kind,
        contactEmail: input.ownerEmail,
        active: true,
        createdAt: now,
        registration: {
          create: {
            corporateNumber: input.corporateNumber,
            ownerName: input.ownerName,
            ownerEmail: input.ownerEmail,
            registeredById: input.staffId,
            registeredAt: now,
            certificateDer: certificate ? new Uint8Array(certificate.der) : null,
            certificateSerial: certificate?.serialHex ?? null,
            certificateNotAfter: certificate?.notAfter ?? null,
          },
        },
      },
      select: { id: true },
    });
    const owner = await tx.partnerUser.create({
      data: {
        partnerId: partner.id,
        email: input.ownerEmail,
        displayName: input.ownerName,
        passwordHash: INVITED_PASSWORD_HASH,
        role: "OWNER",
        createdAt: now,
      },
      select: { id: true },
    });
    await tx.partnerInvitation.create({
      data: {
        partnerUserId: owner.id,
        tokenHash: tokenHashOf(token),
        expiresAt,
        createdById: input.staffId,
        createdAt: now,
      },
    });
    const audit = { actor: { type: "staff" as const, id: input.staffId }, channel: "console" as const };
    await appendAuditEvent(tx, {
      ...audit,
      type: "partner.registered",
      requestMetadata: input.requestMetadata,
      data: {
        partnerId: partner.id,
        slug: input.slug,
        kind: input.kind,
        corporateNumber: input.corporateNumber,
        ownerUserId: owner.id,
        certificateSerial: certificate?.serialHex ?? null,
      },
    });
    await appendAuditEvent(tx, {
      ...audit,
      type: "partner.invitation_sent",
      requestMetadata: input.requestMetadata,
      data: { partnerId: partner.id, partnerUserId: owner.id, expiresAt: expiresAt.toISOString() },
    });
    return { partnerId: partner.id, ownerUserId: owner.id };
  });

  const invitationUrl = partnerInvitationUrl(deps.portalOrigin, token);
  const mailed = await mailInvitation(deps.mailer, {
    to: input.ownerEmail,
    ownerName: input.ownerName,
    partnerName: input.name,
    partnerNameEn: input.nameEn,
    url: invitationUrl,
    expiresAt,
  });
  return { ...created, certificate, invitationUrl, invitationExpiresAt: expiresAt, mailed };
}

export const ZSetPartnerActive = z.object({
  staffId: z.uuid(),
  partnerId: z.uuid(),
  active: z.boolean(),
  reason: z.string().trim().min(1).max(500).optional(),
  requestMetadata: ZRequestMetadata.optional(),
  now: z.date().optional(),
});
export type TSetPartnerActive = z.input<typeof ZSetPartnerActive>;

/**
 * Suspend (active: false, a reason required) or reactivate a partner, under a row lock;
 * idempotent (the same state again changes and audits nothing: `changed: false`). Audited
 * `partner.status_changed` with the reason.
 */
export async function setPartnerActive(
  prisma: PrismaClient,
  options: TSetPartnerActive,
): Promise<{ changed: boolean }> {
  const input = ZSetPartnerActive.parse(options);
  if (!input.active && !input.reason) {
    throw new AppError("VALIDATION_FAILED", { message: "A suspension needs a reason." });
  }
  const now = input.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    await assertOnboardingStaff(tx, input.staffId);
    const rows = await tx.$queryRaw<{ active: boolean }[]>`
      SELECT "active" FROM "Partner" WHERE "id" = ${input.partnerId}::uuid FOR UPDATE`;
    const row = rows[0];
    if (!row) throw new AppError("NOT_FOUND", { message: "No such partner." });
    if (row.active === input.active) return { changed: false };
    await tx.partner.update({ where: { id: input.partnerId }, data: { active: input.active } });
    await tx.partnerRegistration.updateMany({
      where: { partnerId: input.partnerId },
      data: input.active
        ? { suspendedAt: null, suspendedReason: null }
        : { suspendedAt: now, suspendedReason: input.reason ?? null },
    });
    await appendAuditEvent(tx, {
      type: "partner.status_changed",
      actor: { type: "staff", id: input.staffId },
      channel: "console",
      requestMetadata: input.requestMetadata,
      data: { partnerId: input.partnerId, active: input.active, reason: input.reason ?? null },
    });
    return { changed: true };
  });
}

/** What the invitation page shows before the owner sets a password; null for an unusable link. */
export async function findPartnerInvitation(
  prisma: PrismaClient,
  token: string,
  now: Date = new Date(),
): Promise<{ email: string; displayName: string; partnerName: string; partnerNameEn: string } | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const inv = await prisma.partnerInvitation.findUnique({
    where: { tokenHash: tokenHashOf(token) },
    select: {
      usedAt: true,
      expiresAt: true,
      partnerUser: {
        select: {
          email: true,
          displayName: true,
          active: true,
          partner: { select: { name: true, nameEn: true, active: true } },
        },
      },
    },
  });
  if (!inv || inv.usedAt || inv.expiresAt <= now || !inv.partnerUser.active || !inv.partnerUser.partner.active) {
    return null;
  }
  const u = inv.partnerUser;
  return { email: u.email, displayName: u.displayName, partnerName: u.partner.name, partnerNameEn: u.partner.nameEn };
}

export const ZAcceptPartnerInvitation = z.object({
  token: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  password: ZPartnerPassword,
  requestMetadata: ZRequestMetadata.optional(),
  now: z.date().optional(),
});

/**
 * The owner follows the invitation and sets a password (ZPartnerPassword): the invitation is used
 * once (compare-and-set on `usedAt`), the password hashed at the console cost. An unknown, used or
 * expired link, or a user or partner no longer active, is PARTNER_INVITATION_INVALID. Audited
 * `partner.invitation_accepted` (actor partner). Returns the login e-mail.
 */
export async function acceptPartnerInvitation(
  prisma: PrismaClient,
  options: z.input<typeof ZAcceptPartnerInvitation>,
): Promise<{ email: string; partnerUserId: string }> {
  const input = ZAcceptPartnerInvitation.parse(options);
  const now = input.now ?? new Date();
  if (!(await findPartnerInvitation(prisma, input.token, now))) throw new AppError("PARTNER_INVITATION_INVALID");
  // Hash before the transaction: scrypt at the password cost takes a few hundred milliseconds.
  const passwordHash = await hashPassword(input.password);
  return prisma.$transaction(async (tx) => {
    const used = await tx.partnerInvitation.updateManyAndReturn({
      where: { tokenHash: tokenHashOf(input.token), usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
      select: { partnerUserId: true },
    });
    const inv = used[0];
    if (!inv) throw new AppError("PARTNER_INVITATION_INVALID");
    const user = await tx.partnerUser.update({
      where: { id: inv.partnerUserId },
      data: newPartnerPasswordData(passwordHash, now),
      select: { id: true, email: true, partnerId: true, active: true, partner: { select: { active: true } } },
    });
    if (!user.active || !user.partner.active) throw new AppError("PARTNER_INVITATION_INVALID");
    await appendAuditEvent(tx, {
      type: "partner.invitation_accepted",
      actor: { type: "partner", id: user.partnerId },
      channel: "console",
      requestMetadata: input.requestMetadata,
      data: { partnerUserId: user.id },
    });
    return { email: user.email, partnerUserId: user.id };
  });
}
