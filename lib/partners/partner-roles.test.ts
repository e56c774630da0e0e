import { describe, expect, it } from "vitest";
import { seedPartner, seedPartnerCredential, seedPartnerUser } from "../../prisma/seed/factories";
import { verifyAuditChain } from "../audit/verify-audit-chain";
import type { PrismaClient } from "../db/client";
import { createJlisClient } from "../jlis/client";
import { DEFAULT_WEBHOOK_SETTINGS, type TPlatformContext } from "../platform/platform-context";
import { useTestDatabase } from "../../test/db";
import { changePartnerUserRole } from "./change-partner-user-role";
import { createPartnerCredential } from "./create-partner-credential";
import { createPartnerUser } from "./create-partner-user";
import { listPartnerUsers } from "./list-partner-users";
import {
  PARTNER_ACTIONS,
  partnerRoleCan,
  type TPartnerAction,
  type TPartnerActingUser,
  type TPartnerUserRole,
} from "./partner-roles";
import { getActivePartnerUser, loginPartnerUser } from "./partner-user-login";
import { revokePartnerCredential } from "./revoke-partner-credential";
import { rotatePartnerCredential } from "./rotate-partner-credential";
import { requestPartnerScopes } from "./scope-requests";
import { setPartnerUserActive } from "./set-partner-user-active";
import { createEndpointFromConsole } from "../platform/webhooks/webhook-console";

const PASSWORD = "roles-test-password-1";

function platform(prisma: PrismaClient): TPlatformContext {
  return {
    prisma,
    signTrustAnchors: [],
    jlis: createJlisClient({ baseUrl: "http://127.0.0.1:9/jlis" }),
    // hooks.example.jp exists nowhere: a public (not special-purpose) answer for the registration-time DNS check.
    webhooks: { ...DEFAULT_WEBHOOK_SETTINGS, resolve: async () => [{ address: "93.184.215.14", family: 4 }] },
  };
}

/** Runs one console action as the given user; what it touched is looked up by the caller. */
async function perform(
  prisma: PrismaClient,
  action: TPartnerAction,
  partnerId: string,
  partnerUser: TPartnerActingUser,
): Promise<unknown> {
  const actor = { type: "partner" as const, id: partnerId };
  switch (action) {
    case "credential.issue":
      return createPartnerCredential(prisma, { partnerId, scopes: ["sandbox"], actor, partnerUser });
    case "credential.rotate": {
      const { credential } = await seedPartnerCredential(prisma, { partnerId, scopes: ["sandbox"] });
      return rotatePartnerCredential(prisma, { credentialId: credential.id, partnerId, actor, partnerUser });
    }
    case "credential.revoke": {
      const { credential } = await seedPartnerCredential(prisma, { partnerId, scopes: ["sandbox"] });
      return revokePartnerCredential(prisma, { credentialId: credential.id, partnerId, actor, partnerUser });
    }
    case "scope.request":
      return requestPartnerScopes(prisma, { partnerId, partnerUser, scopes: ["identity:verify"], reason: "test" });
    case "webhook.manage":
      return createEndpointFromConsole(platform(prisma), {
        partnerId,
        mode: "LIVE",
        partnerUser,
        request: { url: `https://hooks.example.jp/${partnerUser.id}` },
      });
    case "user.manage":
      return createPartnerUser(prisma, {
        partnerId,
        partnerUser,
        email: `new-${partnerUser.id}@roles.example.jp`,
        displayName: "追加 花子",
        role: "DEVELOPER",
      });
  }
}

/** The documented matrix (lib/partners/README.md): a DEVELOPER manages webhooks only. */
const EXPECTED: Record<TPartnerAction, Record<TPartnerUserRole, boolean>> = {
  "credential.issue": { OWNER: true, DEVELOPER: false },
  "credential.rotate": { OWNER: true, DEVELOPER: false },
  "credential.revoke": { OWNER: true, DEVELOPER: false },
  "scope.request": { OWNER: true, DEVELOPER: false },
  "webhook.manage": { OWNER: true, DEVELOPER: true },
  "user.manage": { OWNER: true, DEVELOPER: false },
};

describe("partner console roles", () => {
  const db = useTestDatabase();

  it("[PARTNER][ROLES] the matrix covers every action and role", () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...PARTNER_ACTIONS].sort());
    for (const action of PARTNER_ACTIONS) {
      for (const role of ["OWNER", "DEVELOPER"] as const) {
        expect([action, role, partnerRoleCan(role, action)]).toEqual([action, role, EXPECTED[action][role]]);
      }
    }
  });

  for (const action of PARTNER_ACTIONS) {
    for (const role of ["OWNER", "DEVELOPER"] as const) {
      const allowed = EXPECTED[action][role];
      it(`[PARTNER][ROLES] ${action} × ${role}: ${allowed ? "allowed" : "PARTNER_ROLE_FORBIDDEN, audited, nothing written"}`, async () => {
        const { prisma } = db();
        const partner = await seedPartner(prisma, { approvedScopes: ["sandbox", "webhooks:manage"] });
        const user = await seedPartnerUser(prisma, { partnerId: partner.id, role });
        const acting = { id: user.id, role: user.role };
        const before = {
          credentials: await prisma.partnerCredential.count({ where: { partnerId: partner.id, revokedAt: null } }),
          requests: await prisma.scopeRequest.count({ where: { partnerId: partner.id } }),
          endpoints: await prisma.webhookEndpoint.count({ where: { partnerId: partner.id } }),
          users: await prisma.partnerUser.count({ where: { partnerId: partner.id } }),
        };
        if (allowed) {
          await expect(perform(prisma, action, partner.id, acting)).resolves.toBeTruthy();
          if (action === "webhook.manage") {
            // One audit event, as the console and the user who acted (not as an API call).
            const events = await prisma.auditEvent.findMany({
              where: { actorId: partner.id, type: { in: ["partner.webhook_changed", "partner.api_access"] } },
            });
            expect(
              events.map((e) => [e.type, e.channel, (e.data as { partnerUserId?: string }).partnerUserId]),
            ).toEqual([["partner.webhook_changed", "console", user.id]]);
          }
          return;
        }
        await expect(perform(prisma, action, partner.id, acting)).rejects.toMatchObject({
          code: "PARTNER_ROLE_FORBIDDEN",
        });
        // A seeded credential (rotate, revoke) is the only row the refused attempt leaves behind.
        const seeded = action === "credential.rotate" || action === "credential.revoke" ? 1 : 0;
        expect({
          credentials: await prisma.partnerCredential.count({ where: { partnerId: partner.id, revokedAt: null } }),
          requests: await prisma.scopeRequest.count({ where: { partnerId: partner.id } }),
          endpoints: await prisma.webhookEndpoint.count({ where: { partnerId: partner.id } }),
          users: await prisma.partnerUser.count({ where: { partnerId: partner.id } }),
        }).toEqual({ ...before, credentials: before.credentials + seeded });
        if (action === "credential.rotate") {
          expect(
            await prisma.partnerCredential.count({ where: { partnerId: partner.id, replacedById: { not: null } } }),
          ).toBe(0);
        }
        const refused = await prisma.auditEvent.findMany({
          where: { type: "partner.console_action_refused", actorId: partner.id },
        });
        expect(refused.map((e) => e.data)).toEqual([
          expect.objectContaining({ action, code: "PARTNER_ROLE_FORBIDDEN", partnerUserId: user.id, role }),
        ]);
        expect(refused[0]?.channel).toBe("console");
      });
    }
  }

  it("[PARTNER][USERS] an owner adds users (generated password shown once, or the owner's), e-mail unique, audited", async () => {
    const { prisma } = db();
    const partner = await seedPartner(prisma);
    const owner = await seedPartnerUser(prisma, { partnerId: partner.id, role: "OWNER", password: PASSWORD });
    const acting = { id: owner.id, role: owner.role };

    const dev = await createPartnerUser(prisma, {
      partnerId: partner.id,
      partnerUser: acting,
      email: " Dev@Users.Example.jp ",
      displayName: "開発 次郎",
      role: "DEVELOPER",
    });
    expect(dev.user).toMatchObject({ email: "dev@users.example.jp", role: "DEVELOPER", active: true });
    expect(dev.initialPassword).toMatch(/^[A-Za-z0-9_-]{20}$/);
    await expect(
      loginPartnerUser(prisma, { email: "dev@users.example.jp", password: dev.initialPassword! }),
    ).resolves.toMatchObject({ partnerUserId: dev.user.id, role: "DEVELOPER" });

    const set = await createPartnerUser(prisma, {
      partnerId: partner.id,
      partnerUser: acting,
      email: "owner2@users.example.jp",
      displayName: "管理 三郎",
      role: "OWNER",
      password: "an-owner-chosen-password",
    });
    expect(set.initialPassword).toBeUndefined();
    await expect(
      loginPartnerUser(prisma, { email: "owner2@users.example.jp", password: "an-owner-chosen-password" }),
    ).resolves.toMatchObject({ role: "OWNER" });

    await expect(
      createPartnerUser(prisma, {
        partnerId: partner.id,
        partnerUser: acting,
        email: "DEV@users.example.jp",
        displayName: "重複",
        role: "DEVELOPER",
      }),
    ).rejects.toMatchObject({ code: "PARTNER_USER_EMAIL_TAKEN" });
    await expect(
      createPartnerUser(prisma, {
        partnerId: partner.id,
        partnerUser: acting,
        email: "short@users.example.jp",
        displayName: "短い",
        role: "DEVELOPER",
        password: "short",
      }),
    ).rejects.toThrow();

    expect((await listPartnerUsers(prisma, { partnerId: partner.id })).map((u) => [u.email, u.role])).toEqual([
      ["owner2@users.example.jp", "OWNER"],
      [owner.email, "OWNER"],
      ["dev@users.example.jp", "DEVELOPER"],
    ]);
    const created = await prisma.auditEvent.findMany({
      where: { type: "partner.user_changed", actorId: partner.id },
      orderBy: { seq: "asc" },
    });
    expect(created.map((e) => e.data)).toEqual([
      expect.objectContaining({ operation: "user_created", partnerUserId: owner.id, targetUserId: dev.user.id }),
      expect.objectContaining({ operation: "user_created", role: "OWNER", passwordSetBy: "owner" }),
    ]);
    const text = JSON.stringify(created.map((e) => e.data));
    expect(text).not.toContain(dev.initialPassword);
    expect(text).not.toContain("an-owner-chosen-password");
  });

  it("[PARTNER][USERS] the last active owner can be neither demoted nor deactivated, themself included", async () => {
    const { prisma } = db();
    const partner = await seedPartner(prisma);
    const first = await seedPartnerUser(prisma, { partnerId: partner.id, role: "OWNER" });
    const dev = await seedPartnerUser(prisma, { partnerId: partner.id, role: "DEVELOPER" });
    const asFirst = { id: first.id, role: "OWNER" as const };
    const opts = { partnerId: partner.id, partnerUser: asFirst, targetUserId: first.id };

    await expect(changePartnerUserRole(prisma, { ...opts, role: "DEVELOPER" })).rejects.toMatchObject({
      code: "PARTNER_LAST_OWNER",
    });
    await expect(setPartnerUserActive(prisma, { ...opts, active: false })).rejects.toMatchObject({
      code: "PARTNER_LAST_OWNER",
    });
    expect(await prisma.partnerUser.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({
      role: "OWNER",
      active: true,
    });
    // A deactivated owner does not count: promoting one still leaves a single active owner.
    const idle = await seedPartnerUser(prisma, { partnerId: partner.id, role: "OWNER", active: false });
    await expect(setPartnerUserActive(prisma, { ...opts, active: false })).rejects.toMatchObject({
      code: "PARTNER_LAST_OWNER",
    });

    // With a second active owner, the first may step down; then the second is the last one.
    await changePartnerUserRole(prisma, { ...opts, targetUserId: dev.id, role: "OWNER" });
    await expect(changePartnerUserRole(prisma, { ...opts, role: "DEVELOPER" })).resolves.toMatchObject({
      role: "DEVELOPER",
    });
    const asDev = { id: dev.id, role: "OWNER" as const };
    await expect(
      setPartnerUserActive(prisma, { partnerId: partner.id, partnerUser: asDev, targetUserId: dev.id, active: false }),
    ).rejects.toMatchObject({ code: "PARTNER_LAST_OWNER" });
    // The demoted first owner is now a DEVELOPER and may no longer manage users.
    await expect(
      setPartnerUserActive(prisma, {
        partnerId: partner.id,
        partnerUser: { id: first.id, role: "DEVELOPER" },
        targetUserId: idle.id,
        active: true,
      }),
    ).rejects.toMatchObject({ code: "PARTNER_ROLE_FORBIDDEN" });
    // Another partner's user is not found, whatever the role.
    const stranger = await seedPartnerUser(prisma, { role: "DEVELOPER" });
    await expect(
      setPartnerUserActive(prisma, {
        partnerId: partner.id,
        partnerUser: asDev,
        targetUserId: stranger.id,
        active: false,
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });

    const refused = await prisma.auditEvent.findMany({
      where: { type: "partner.console_action_refused", actorId: partner.id },
      orderBy: { seq: "asc" },
    });
    expect(refused.map((e) => (e.data as { code: string }).code)).toEqual([
      "PARTNER_LAST_OWNER",
      "PARTNER_LAST_OWNER",
      "PARTNER_LAST_OWNER",
      "PARTNER_LAST_OWNER",
      "PARTNER_ROLE_FORBIDDEN",
    ]);
    const changed = await prisma.auditEvent.findMany({
      where: { type: "partner.user_changed", actorId: partner.id },
      orderBy: { seq: "asc" },
    });
    expect(changed.map((e) => e.data)).toEqual([
      expect.objectContaining({
        operation: "role_changed",
        targetUserId: dev.id,
        previousRole: "DEVELOPER",
        role: "OWNER",
      }),
      expect.objectContaining({
        operation: "role_changed",
        targetUserId: first.id,
        previousRole: "OWNER",
        role: "DEVELOPER",
      }),
    ]);
    expect(await verifyAuditChain(prisma)).toMatchObject({ ok: true });
  });

  it("[PARTNER][USERS] a deactivated user cannot log in and their session ends; a role change applies on the next request", async () => {
    const { prisma } = db();
    const partner = await seedPartner(prisma);
    const owner = await seedPartnerUser(prisma, { partnerId: partner.id, role: "OWNER" });
    const dev = await seedPartnerUser(prisma, { partnerId: partner.id, role: "DEVELOPER", password: PASSWORD });
    const acting = { id: owner.id, role: "OWNER" as const };
    await expect(loginPartnerUser(prisma, { email: dev.email, password: PASSWORD })).resolves.toBeTruthy();
    expect(await getActivePartnerUser(prisma, dev.id, 0)).toMatchObject({ role: "DEVELOPER" });

    await changePartnerUserRole(prisma, {
      partnerId: partner.id,
      partnerUser: acting,
      targetUserId: dev.id,
      role: "OWNER",
    });
    expect(await getActivePartnerUser(prisma, dev.id, 0)).toMatchObject({ role: "OWNER" });

    await setPartnerUserActive(prisma, {
      partnerId: partner.id,
      partnerUser: acting,
      targetUserId: dev.id,
      active: false,
    });
    expect(await getActivePartnerUser(prisma, dev.id, 0)).toBeNull();
    await expect(loginPartnerUser(prisma, { email: dev.email, password: PASSWORD })).rejects.toMatchObject({
      code: "PARTNER_LOGIN_INVALID",
    });
    const failed = await prisma.auditEvent.findFirstOrThrow({
      where: { type: "auth.login_failed", actorId: partner.id },
      orderBy: { seq: "desc" },
    });
    expect(failed.data).toMatchObject({ reason: "inactive", partnerUserId: dev.id });

    await setPartnerUserActive(prisma, {
      partnerId: partner.id,
      partnerUser: acting,
      targetUserId: dev.id,
      active: true,
    });
    await expect(loginPartnerUser(prisma, { email: dev.email, password: PASSWORD })).resolves.toMatchObject({
      role: "OWNER",
    });
    const ops = await prisma.auditEvent.findMany({
      where: { type: "partner.user_changed", actorId: partner.id },
      orderBy: { seq: "asc" },
    });
    expect(ops.map((e) => (e.data as { operation: string }).operation)).toEqual([
      "role_changed",
      "user_deactivated",
      "user_reactivated",
    ]);
  });
});
