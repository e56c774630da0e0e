import { describe, expect, it } from "vitest";
import { seedPartner, seedPartnerUser } from "../../prisma/seed/factories";
import { verifyAuditChain } from "../audit/verify-audit-chain";
import { loginRateLimits } from "../auth/login-rate-limits";
import type { PrismaClient } from "../db/client";
import { useTestDatabase } from "../../test/db";
import { changePartnerUserPassword } from "./change-partner-user-password";
import { getActivePartnerUser, loginPartnerUser, MAX_FAILED_LOGINS } from "./partner-user-login";
import { resetPartnerUserPassword } from "./reset-partner-user-password";
import { PASSWORD_SCRYPT, scryptParamsOf, verifySecret } from "./secret-hash";

const OLD = "old-console-password-1";
const NEW = "new-console-password-2";

/** What a refused change or reset must leave as it was. */
async function credentials(prisma: PrismaClient, id: string) {
  return prisma.partnerUser.findUniqueOrThrow({
    where: { id },
    select: { passwordHash: true, sessionVersion: true, passwordChangedAt: true },
  });
}

async function auditOf(prisma: PrismaClient, partnerId: string, type: string) {
  return prisma.auditEvent.findMany({ where: { actorId: partnerId, type }, orderBy: { seq: "asc" } });
}

describe("partner console passwords", () => {
  const db = useTestDatabase();

  it("[PARTNER][PASSWORD] a wrong current password is refused, counted like a failed login, audited, and changes nothing else", async () => {
    const { prisma } = db();
    const partner = await seedPartner(prisma);
    const user = await seedPartnerUser(prisma, { partnerId: partner.id, role: "DEVELOPER", password: OLD });
    const acting = { id: user.id, role: user.role };
    const before = await credentials(prisma, user.id);
    const change = (currentPassword: string, newPassword = NEW) =>
      changePartnerUserPassword(
        prisma,
        { partnerId: partner.id, partnerUser: acting, currentPassword, newPassword },
        { limits: null },
      );

    await expect(change("not-the-password")).rejects.toMatchObject({ code: "PARTNER_PASSWORD_CURRENT_INVALID" });
    expect(await credentials(prisma, user.id)).toEqual(before);
    expect((await prisma.partnerUser.findUniqueOrThrow({ where: { id: user.id } })).failedLogins).toBe(1);
    expect(await auditOf(prisma, partner.id, "partner.password_changed")).toEqual([]);
    const failed = await auditOf(prisma, partner.id, "partner.password_change_failed");
    expect(failed.map((e) => [e.channel, e.data])).toEqual([
      ["console", { partnerUserId: user.id, reason: "current_password", code: "PARTNER_PASSWORD_CURRENT_INVALID" }],
    ]);
    // The new password follows the users page's rule (zod), and must differ from the current one.
    await expect(change(OLD, "short")).rejects.toMatchObject({ name: "ZodError" });
    await expect(change(OLD, OLD)).rejects.toMatchObject({ code: "PARTNER_PASSWORD_UNCHANGED" });
    expect(await credentials(prisma, user.id)).toEqual(before);
    // The session still works, and the old password still logs in.
    expect(await getActivePartnerUser(prisma, user.id, 0)).toMatchObject({ partnerUserId: user.id });
    await expect(
      loginPartnerUser(prisma, { email: user.email, password: OLD }, { limits: null }),
    ).resolves.toBeTruthy();

    // One failure short of the lock: the next wrong current password locks the account for login too.
    await prisma.partnerUser.update({ where: { id: user.id }, data: { failedLogins: MAX_FAILED_LOGINS - 1 } });
    await expect(change("still-not-the-password")).rejects.toMatchObject({ code: "PARTNER_PASSWORD_CURRENT_INVALID" });
    expect((await prisma.partnerUser.findUniqueOrThrow({ where: { id: user.id } })).lockedUntil).toBeInstanceOf(Date);
    await expect(change(OLD)).rejects.toMatchObject({ code: "PARTNER_LOGIN_LOCKED" });
    await expect(
      loginPartnerUser(prisma, { email: user.email, password: OLD }, { limits: null }),
    ).rejects.toMatchObject({ code: "PARTNER_LOGIN_LOCKED" });
    expect(await credentials(prisma, user.id)).toEqual(before);
    expect(
      (await auditOf(prisma, partner.id, "partner.password_change_failed")).map(
        (e) => (e.data as { reason: string }).reason,
      ),
    ).toEqual(["current_password", "current_password", "locked"]);
    expect(await verifyAuditChain(prisma)).toMatchObject({ ok: true });
  });

  it("[PARTNER][PASSWORD][RATE_LIMIT] wrong current passwords use up the address's login failures", async () => {
    const { prisma } = db();
    const user = await seedPartnerUser(prisma, { password: OLD });
    const limits = { ...loginRateLimits(1), partnerFailurePerIp: { limit: 1, windowMs: 15 * 60_000 } };
    const change = (currentPassword: string) =>
      changePartnerUserPassword(
        prisma,
        {
          partnerId: user.partnerId,
          partnerUser: { id: user.id, role: user.role },
          currentPassword,
          newPassword: NEW,
          requestMetadata: { ip: "198.51.100.20" },
        },
        { limits },
      );
    await expect(change("wrong-password")).rejects.toMatchObject({ code: "PARTNER_PASSWORD_CURRENT_INVALID" });
    await expect(change(OLD)).rejects.toMatchObject({ code: "RATE_LIMITED" });
    await expect(
      loginPartnerUser(
        prisma,
        { email: user.email, password: OLD, requestMetadata: { ip: "198.51.100.20" } },
        { limits },
      ),
    ).rejects.toMatchObject({ code: "RATE_LIMITED" });
  });

  it("[PARTNER][PASSWORD] a change rehashes at the password cost, is audited without the password, and ends every other session", async () => {
    const { prisma } = db();
    const partner = await seedPartner(prisma);
    const user = await seedPartnerUser(prisma, { partnerId: partner.id, role: "OWNER", password: OLD });
    await prisma.partnerUser.update({ where: { id: user.id }, data: { failedLogins: 3 } });
    // Two open sessions of the user, both issued at version 0.
    const [a, b] = [
      await loginPartnerUser(prisma, { email: user.email, password: OLD }, { limits: null }),
      await loginPartnerUser(prisma, { email: user.email, password: OLD }, { limits: null }),
    ];
    expect([a.sessionVersion, b.sessionVersion]).toEqual([0, 0]);

    const now = new Date();
    const done = await changePartnerUserPassword(
      prisma,
      {
        partnerId: partner.id,
        partnerUser: { id: user.id, role: "OWNER" },
        currentPassword: OLD,
        newPassword: NEW,
        requestMetadata: { ip: "203.0.113.5", userAgent: "vitest" },
        now,
      },
      { limits: null },
    );
    expect(done).toEqual({ sessionVersion: 1, passwordChangedAt: now });
    const row = await prisma.partnerUser.findUniqueOrThrow({ where: { id: user.id } });
    expect(scryptParamsOf(row.passwordHash)).toEqual(PASSWORD_SCRYPT);
    expect(row.passwordHash).not.toBe(user.passwordHash);
    expect(await verifySecret(NEW, row.passwordHash)).toBe(true);
    expect(row).toMatchObject({ sessionVersion: 1, passwordChangedAt: now, failedLogins: 0, lockedUntil: null });

    // Every session issued at the old version ends; the caller re-issues its own at the new one.
    expect(await getActivePartnerUser(prisma, user.id, a.sessionVersion)).toBeNull();
    expect(await getActivePartnerUser(prisma, user.id, done.sessionVersion)).toMatchObject({ partnerUserId: user.id });

    const [changed] = await auditOf(prisma, partner.id, "partner.password_changed");
    expect(changed).toMatchObject({ channel: "console", actorType: "partner", ip: "203.0.113.5" });
    expect(changed?.data).toEqual({ partnerUserId: user.id, otherSessionsEnded: true });
    expect(JSON.stringify(await prisma.auditEvent.findMany({ select: { data: true } }))).not.toMatch(
      /console-password/,
    );

    await expect(
      loginPartnerUser(prisma, { email: user.email, password: OLD }, { limits: null }),
    ).rejects.toMatchObject({ code: "PARTNER_LOGIN_INVALID" });
    await expect(
      loginPartnerUser(prisma, { email: user.email, password: NEW }, { limits: null }),
    ).resolves.toMatchObject({ partnerUserId: user.id, sessionVersion: 1 });
    expect(await verifyAuditChain(prisma)).toMatchObject({ ok: true });
  });

  it("[PARTNER][PASSWORD_RESET] an owner resets another user's password: shown once, lock cleared, sessions ended, audited", async () => {
    const { prisma } = db();
    const partner = await seedPartner(prisma);
    const owner = await seedPartnerUser(prisma, { partnerId: partner.id, role: "OWNER", password: OLD });
    const dev = await seedPartnerUser(prisma, { partnerId: partner.id, role: "DEVELOPER", password: OLD });
    const other = await seedPartnerUser(prisma, { role: "DEVELOPER" });
    const asOwner = { id: owner.id, role: "OWNER" as const };
    const asDev = { id: dev.id, role: "DEVELOPER" as const };
    const devBefore = await credentials(prisma, dev.id);
    const ownerBefore = await credentials(prisma, owner.id);

    // A developer is refused whatever the target; the refusal is audited and nothing is written.
    await expect(
      resetPartnerUserPassword(prisma, { partnerId: partner.id, partnerUser: asDev, targetUserId: owner.id }),
    ).rejects.toMatchObject({ code: "PARTNER_ROLE_FORBIDDEN" });
    // An owner cannot reset their own password here (the change page asks for the current one).
    await expect(
      resetPartnerUserPassword(prisma, { partnerId: partner.id, partnerUser: asOwner, targetUserId: owner.id }),
    ).rejects.toMatchObject({ code: "PARTNER_PASSWORD_RESET_SELF" });
    // Another partner's user is not found.
    await expect(
      resetPartnerUserPassword(prisma, { partnerId: partner.id, partnerUser: asOwner, targetUserId: other.id }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await credentials(prisma, owner.id)).toEqual(ownerBefore);
    expect(await credentials(prisma, dev.id)).toEqual(devBefore);
    const refused = await auditOf(prisma, partner.id, "partner.console_action_refused");
    expect(refused.map((e) => e.data)).toEqual([
      expect.objectContaining({
        action: "user.manage",
        code: "PARTNER_ROLE_FORBIDDEN",
        partnerUserId: dev.id,
        role: "DEVELOPER",
        operation: "password_reset",
        targetUserId: owner.id,
      }),
      expect.objectContaining({
        action: "user.manage",
        code: "PARTNER_PASSWORD_RESET_SELF",
        partnerUserId: owner.id,
        operation: "password_reset",
        targetUserId: owner.id,
      }),
    ]);
    expect(await auditOf(prisma, partner.id, "partner.user_changed")).toEqual([]);

    // The developer has an open session and has locked themself out.
    const session = await loginPartnerUser(prisma, { email: dev.email, password: OLD }, { limits: null });
    const lockedUntil = new Date(Date.now() + 10 * 60_000);
    await prisma.partnerUser.update({ where: { id: dev.id }, data: { failedLogins: 4, lockedUntil } });

    const done = await resetPartnerUserPassword(prisma, {
      partnerId: partner.id,
      partnerUser: asOwner,
      targetUserId: dev.id,
    });
    expect(done.user).toMatchObject({ id: dev.id, email: dev.email, role: "DEVELOPER", active: true });
    expect(done.user).not.toHaveProperty("passwordHash");
    expect(done.password).toMatch(/^[A-Za-z0-9_-]{20}$/);
    const row = await prisma.partnerUser.findUniqueOrThrow({ where: { id: dev.id } });
    expect(row).toMatchObject({ failedLogins: 0, lockedUntil: null, sessionVersion: 1 });
    expect(row.passwordChangedAt).toBeInstanceOf(Date);
    expect(scryptParamsOf(row.passwordHash)).toEqual(PASSWORD_SCRYPT);
    expect(await getActivePartnerUser(prisma, dev.id, session.sessionVersion)).toBeNull();

    const [reset] = await auditOf(prisma, partner.id, "partner.user_changed");
    expect(reset?.channel).toBe("console");
    expect(reset?.data).toEqual({
      operation: "password_reset",
      partnerUserId: owner.id,
      targetUserId: dev.id,
      email: dev.email,
      passwordSetBy: "generated",
      sessionsEnded: true,
      failedLoginsCleared: 4,
      lockCleared: true,
    });
    expect(JSON.stringify(reset?.data)).not.toContain(done.password);

    // The old password no longer logs in (and no lock stands in the way); the new one does.
    await expect(loginPartnerUser(prisma, { email: dev.email, password: OLD }, { limits: null })).rejects.toMatchObject(
      {
        code: "PARTNER_LOGIN_INVALID",
      },
    );
    await expect(
      loginPartnerUser(prisma, { email: dev.email, password: done.password }, { limits: null }),
    ).resolves.toMatchObject({ partnerUserId: dev.id, sessionVersion: 1 });
    // The owner's own sessions are untouched.
    expect(await getActivePartnerUser(prisma, owner.id, 0)).toMatchObject({ role: "OWNER" });
    expect(await verifyAuditChain(prisma)).toMatchObject({ ok: true });
  });
});
