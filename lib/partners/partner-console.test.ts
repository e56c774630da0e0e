import { describe, expect, it } from "vitest";
import { seedPartner, seedPartnerCredential, seedPartnerUser, seedStaffMember } from "../../prisma/seed/factories";
import { verifyAuditChain } from "../audit/verify-audit-chain";
import { loginRateLimits } from "../auth/login-rate-limits";
import { useTestDatabase } from "../../test/db";
import { getPartnerApiUsage, recordApiRequest } from "./api-usage";
import { createPartnerCredential } from "./create-partner-credential";
import { listPartnerCredentials } from "./list-partner-credentials";
import { getActivePartnerUser, loginPartnerUser, MAX_FAILED_LOGINS, partnerLoginDummyHash } from "./partner-user-login";
import { rotatePartnerCredential } from "./rotate-partner-credential";
import { decideScopeRequest, listScopeRequests, requestPartnerScopes } from "./scope-requests";
import { API_SECRET_SCRYPT, hashSecret, PASSWORD_SCRYPT, scryptParamsOf, verifySecret } from "./secret-hash";
import { verifyPartnerCredential } from "./verify-partner-credential";
import { createJlisClient } from "../jlis/client";
import { DEFAULT_WEBHOOK_SETTINGS, type TPlatformContext } from "../platform/platform-context";
import { startWebhookReceiver } from "../../test/platform/webhook-receiver";
import { createWebhookEndpoint } from "../platform/webhooks/create-webhook-endpoint";
import { dispatchWebhookDeliveries } from "../platform/webhooks/dispatch-webhook-deliveries";
import { enqueueWebhookEvent } from "../platform/webhooks/enqueue-webhook-event";
import {
  createEndpointFromConsole,
  disableEndpointFromConsole,
  replayDeliveryFromConsole,
} from "../platform/webhooks/webhook-console";
import { listPartnerDocuments } from "./list-partner-documents";
import { seedResident } from "../../prisma/seed/factories";

describe("partner console", () => {
  const db = useTestDatabase();

  it("[PARTNER][LOGIN] logs a partner user in by e-mail and password, one code for unknown and wrong, audited", async () => {
    const { prisma } = db();
    const partner = await seedPartner(prisma);
    const user = await seedPartnerUser(prisma, {
      partnerId: partner.id,
      email: "Owner@Login.example.jp",
      password: "pw-1",
    });
    expect(user.email).toBe("owner@login.example.jp");
    expect(user.passwordHash.startsWith("scrypt$")).toBe(true);

    const ok = await loginPartnerUser(prisma, { email: " OWNER@login.example.jp ", password: "pw-1" });
    expect(ok).toMatchObject({ partnerUserId: user.id, partnerId: partner.id, role: "OWNER" });
    expect((await prisma.partnerUser.findUniqueOrThrow({ where: { id: user.id } })).lastLoginAt).toBeInstanceOf(Date);

    await expect(loginPartnerUser(prisma, { email: "owner@login.example.jp", password: "pw-2" })).rejects.toMatchObject(
      {
        code: "PARTNER_LOGIN_INVALID",
      },
    );
    await expect(
      loginPartnerUser(prisma, { email: "nobody@login.example.jp", password: "pw-1" }),
    ).rejects.toMatchObject({
      code: "PARTNER_LOGIN_INVALID",
    });
    await expect(loginPartnerUser(prisma, { email: "x".repeat(300), password: "pw-1" })).rejects.toMatchObject({
      code: "PARTNER_LOGIN_INVALID",
    });
    const events = await prisma.auditEvent.findMany({
      where: { type: { in: ["auth.login_succeeded", "auth.login_failed"] }, actorType: "partner" },
      orderBy: { seq: "asc" },
    });
    expect(events.map((e) => [e.type, (e.data as { reason?: string }).reason ?? null])).toEqual([
      ["auth.login_succeeded", null],
      ["auth.login_failed", "password"],
      ["auth.login_failed", "unknown_email"],
      ["auth.login_failed", "unknown_email"],
    ]);
    expect(JSON.stringify(events.map((e) => e.data))).not.toContain("pw-");
    expect(await verifyAuditChain(prisma)).toMatchObject({ ok: true });

    // Deactivating the user or the partner ends the session and refuses the login.
    expect(await getActivePartnerUser(prisma, user.id, 0)).toMatchObject({ partnerId: partner.id });
    await prisma.partner.update({ where: { id: partner.id }, data: { active: false } });
    expect(await getActivePartnerUser(prisma, user.id, 0)).toBeNull();
    await expect(loginPartnerUser(prisma, { email: user.email, password: "pw-1" })).rejects.toMatchObject({
      code: "PARTNER_LOGIN_INVALID",
    });
    expect(await getActivePartnerUser(prisma, "not-a-uuid", 0)).toBeNull();
  });

  it("[PARTNER][LOGIN][RATE_LIMIT] an address that keeps failing is refused before the password check; successes do not count", async () => {
    const { prisma } = db();
    const partner = await seedPartner(prisma);
    await seedPartnerUser(prisma, { partnerId: partner.id, email: "a@limit.example.jp", password: "pw-right" });
    const limits = { ...loginRateLimits(1), partnerFailurePerIp: { limit: 3, windowMs: 15 * 60_000 } };
    const login = (password: string, ip: string) =>
      loginPartnerUser(prisma, { email: "a@limit.example.jp", password, requestMetadata: { ip } }, { limits });
    // Successes from one address give their slot back.
    for (let i = 0; i < 4; i++) await expect(login("pw-right", "198.51.100.7")).resolves.toBeTruthy();
    for (let i = 0; i < 3; i++) {
      await expect(login("pw-wrong", "198.51.100.7")).rejects.toMatchObject({ code: "PARTNER_LOGIN_INVALID" });
    }
    // The fourth attempt is refused whatever the password, with a Retry-After; another address still logs in.
    await expect(login("pw-right", "198.51.100.7")).rejects.toMatchObject({
      code: "RATE_LIMITED",
      details: { retryAfterSeconds: expect.any(Number) },
    });
    await expect(login("pw-right", "203.0.113.9")).resolves.toMatchObject({ partnerId: partner.id });
    const refused = await prisma.auditEvent.findMany({ where: { type: "auth.rate_limited" } });
    expect(refused.map((e) => [e.actorType, e.channel, e.ip, (e.data as { limit: string }).limit])).toEqual([
      ["partner", "console", "198.51.100.7", "partnerFailurePerIp"],
    ]);
  });

  it("[PARTNER][LOGIN] locks the account after repeated failures", async () => {
    const { prisma } = db();
    const user = await seedPartnerUser(prisma, { email: "lock@login.example.jp", password: "right" });
    const now = new Date("2026-12-01T00:00:00Z");
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) {
      await expect(loginPartnerUser(prisma, { email: user.email, password: "wrong", now })).rejects.toMatchObject({
        code: "PARTNER_LOGIN_INVALID",
      });
    }
    await expect(loginPartnerUser(prisma, { email: user.email, password: "right", now })).rejects.toMatchObject({
      code: "PARTNER_LOGIN_LOCKED",
    });
    const later = new Date(now.getTime() + 16 * 60_000);
    await expect(loginPartnerUser(prisma, { email: user.email, password: "right", now: later })).resolves.toMatchObject(
      {
        partnerUserId: user.id,
      },
    );
  });

  it("[PARTNER][LOGIN_REHASH] an old N=2^14 password hash is upgraded to N=2^17 by a successful login, in its transaction; a wrong password never rehashes", async () => {
    const { prisma } = db();
    const partner = await seedPartner(prisma);
    const user = await seedPartnerUser(prisma, {
      partnerId: partner.id,
      email: "rehash@login.example.jp",
      password: "p",
    });
    // New users get the password cost.
    expect(scryptParamsOf(user.passwordHash)).toEqual(PASSWORD_SCRYPT);
    expect(user.passwordHash).toMatch(/^scrypt\$131072\$8\$1\$/);
    const old = await hashSecret("old-password-1", { N: 1 << 14, r: 8, p: 1 });
    await prisma.partnerUser.update({ where: { id: user.id }, data: { passwordHash: old } });
    const stored = async () => (await prisma.partnerUser.findUniqueOrThrow({ where: { id: user.id } })).passwordHash;

    // Wrong password: refused, counted, the old hash untouched.
    await expect(loginPartnerUser(prisma, { email: user.email, password: "old-password-2" })).rejects.toMatchObject({
      code: "PARTNER_LOGIN_INVALID",
    });
    expect(await stored()).toBe(old);
    // Right password but the user is inactive: refused, not rehashed either.
    await prisma.partnerUser.update({ where: { id: user.id }, data: { active: false } });
    await expect(loginPartnerUser(prisma, { email: user.email, password: "old-password-1" })).rejects.toMatchObject({
      code: "PARTNER_LOGIN_INVALID",
    });
    expect(await stored()).toBe(old);
    await prisma.partnerUser.update({ where: { id: user.id }, data: { active: true } });

    // Right password: logged in, and the stored hash is now at N=2^17 and still verifies.
    await expect(loginPartnerUser(prisma, { email: user.email, password: "old-password-1" })).resolves.toMatchObject({
      partnerUserId: user.id,
    });
    const upgraded = await stored();
    expect(upgraded).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await verifySecret("old-password-1", upgraded)).toBe(true);
    expect(await verifySecret("old-password-2", upgraded)).toBe(false);
    const row = await prisma.partnerUser.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.failedLogins).toBe(0);
    expect(row.lastLoginAt).toBeInstanceOf(Date);
    const succeeded = await prisma.auditEvent.findMany({
      where: { type: "auth.login_succeeded", actorType: "partner", actorId: partner.id },
    });
    expect(succeeded.map((e) => e.data)).toEqual([
      { method: "password", partnerUserId: user.id, passwordRehashed: true },
    ]);

    // Next login: already at the current cost, so nothing is rewritten.
    await loginPartnerUser(prisma, { email: user.email, password: "old-password-1" });
    expect(await stored()).toBe(upgraded);

    // The dummy an unknown e-mail is checked against (timing equaliser) is at the new cost, not the API secrets' one.
    await expect(
      loginPartnerUser(prisma, { email: "nobody-rehash@login.example.jp", password: "x" }),
    ).rejects.toMatchObject({ code: "PARTNER_LOGIN_INVALID" });
    expect(scryptParamsOf(await partnerLoginDummyHash())).toEqual(PASSWORD_SCRYPT);
    expect(PASSWORD_SCRYPT).toEqual({ N: 2 ** 17, r: 8, p: 1 });
    // API client secrets keep their cheaper cost (verified on every request).
    expect(API_SECRET_SCRYPT).toEqual({ N: 2 ** 14, r: 8, p: 1 });
  });

  it("[PARTNER][CREDENTIALS] rotates: a new credential, the old one works only through the grace period", async () => {
    const { prisma } = db();
    const partner = await seedPartner(prisma, { approvedScopes: ["documents:deliver", "sandbox"] });
    const owner = await seedPartnerUser(prisma, { partnerId: partner.id, role: "OWNER" });
    const partnerUser = { id: owner.id, role: owner.role };
    const first = await createPartnerCredential(prisma, {
      partnerId: partner.id,
      mode: "LIVE",
      scopes: ["documents:deliver", "sandbox"],
      rateLimit: 77,
      actor: { type: "partner", id: partner.id },
      partnerUser,
    });
    const now = new Date();
    const rotated = await rotatePartnerCredential(prisma, {
      credentialId: first.credential.id,
      partnerId: partner.id,
      graceSeconds: 3600,
      actor: { type: "partner", id: partner.id },
      partnerUser,
      channel: "console",
      now,
    });
    expect(rotated.credential.clientId).toMatch(/^ich_live_/);
    expect(rotated.credential.clientId).not.toBe(first.credential.clientId);
    expect(rotated.credential).toMatchObject({ mode: "LIVE", rateLimit: 77, scopes: ["documents:deliver", "sandbox"] });
    expect(rotated.previous.expiresAt.getTime()).toBe(now.getTime() + 3600_000);

    // Both work now; after the grace period only the new one does.
    await expect(
      verifyPartnerCredential(prisma, { clientId: first.credential.clientId, clientSecret: first.clientSecret }),
    ).resolves.toMatchObject({ partnerId: partner.id });
    await expect(
      verifyPartnerCredential(prisma, {
        clientId: first.credential.clientId,
        clientSecret: first.clientSecret,
        now: new Date(now.getTime() + 3601_000),
      }),
    ).rejects.toMatchObject({ code: "PARTNER_CREDENTIAL_EXPIRED" });
    await expect(
      verifyPartnerCredential(prisma, {
        clientId: rotated.credential.clientId,
        clientSecret: rotated.clientSecret,
        now: new Date(now.getTime() + 3601_000),
      }),
    ).resolves.toMatchObject({ mode: "LIVE" });

    const list = await listPartnerCredentials(prisma, { partnerId: partner.id, now });
    expect(list.map((c) => [c.clientId, c.status])).toEqual([
      [rotated.credential.clientId, "active"],
      [first.credential.clientId, "rotating"],
    ]);
    expect(list[1]!.replacedById).toBe(rotated.credential.id);

    // Only once; another partner's credential is not found.
    await expect(
      rotatePartnerCredential(prisma, { credentialId: first.credential.id, actor: { type: "system" } }),
    ).rejects.toMatchObject({ code: "PARTNER_CREDENTIAL_NOT_ROTATABLE" });
    const other = await seedPartner(prisma);
    await expect(
      rotatePartnerCredential(prisma, {
        credentialId: rotated.credential.id,
        partnerId: other.id,
        actor: { type: "partner", id: other.id },
        partnerUser,
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { type: "partner.credential_rotated" } });
    expect(audit.data).toMatchObject({
      previousCredentialId: first.credential.id,
      credentialId: rotated.credential.id,
    });
    expect(JSON.stringify(audit.data)).not.toContain(rotated.clientSecret);
  });

  it("[PARTNER][SCOPES] a partner requests scopes; only an admin or supervisor approves; approval extends approvedScopes", async () => {
    const { prisma } = db();
    const partner = await seedPartner(prisma, { approvedScopes: ["sandbox"] });
    const user = await seedPartnerUser(prisma, { partnerId: partner.id });
    const partnerUser = { id: user.id, role: user.role };
    await expect(
      requestPartnerScopes(prisma, { partnerId: partner.id, partnerUser, scopes: ["sandbox"], reason: "again" }),
    ).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    await expect(
      requestPartnerScopes(prisma, { partnerId: partner.id, partnerUser, scopes: ["root" as "sandbox"], reason: "x" }),
    ).rejects.toThrow();
    const req = await requestPartnerScopes(prisma, {
      partnerId: partner.id,
      partnerUser,
      scopes: ["identity:verify", "sandbox", "documents:deliver"],
      reason: "口座開設の本人確認に使います",
    });
    expect(req).toMatchObject({ status: "PENDING", scopes: ["documents:deliver", "identity:verify"] });
    expect((await listScopeRequests(prisma, { status: "PENDING" })).map((r) => r.id)).toContain(req.id);

    const clerk = await seedStaffMember(prisma, { roles: ["CLERK"] });
    await expect(
      decideScopeRequest(prisma, { requestId: req.id, staffId: clerk.id, decision: "APPROVE" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    const admin = await seedStaffMember(prisma, { roles: ["ADMIN"] });
    const approved = await decideScopeRequest(prisma, { requestId: req.id, staffId: admin.id, decision: "APPROVE" });
    expect(approved).toMatchObject({ status: "APPROVED" });
    expect((await prisma.partner.findUniqueOrThrow({ where: { id: partner.id } })).approvedScopes).toEqual([
      "documents:deliver",
      "identity:verify",
      "sandbox",
    ]);
    await expect(
      decideScopeRequest(prisma, { requestId: req.id, staffId: admin.id, decision: "REJECT" }),
    ).rejects.toMatchObject({ code: "SCOPE_REQUEST_NOT_PENDING" });

    const second = await requestPartnerScopes(prisma, {
      partnerId: partner.id,
      partnerUser,
      scopes: ["identity:facts"],
      reason: "r",
    });
    await decideScopeRequest(prisma, { requestId: second.id, staffId: admin.id, decision: "REJECT", note: "不要" });
    expect((await prisma.partner.findUniqueOrThrow({ where: { id: partner.id } })).approvedScopes).not.toContain(
      "identity:facts",
    );
    const decided = await prisma.auditEvent.findMany({
      where: { type: "partner.scope_decided" },
      orderBy: { seq: "asc" },
    });
    expect(decided.map((e) => (e.data as { decision: string }).decision)).toEqual(["APPROVED", "REJECTED"]);
    expect(await verifyAuditChain(prisma)).toMatchObject({ ok: true });
  });

  it("[PARTNER][USAGE] counts requests per minute in PostgreSQL, limits them, and reports them by hour and day", async () => {
    const { prisma } = db();
    const partner = await seedPartner(prisma);
    const { credential } = await seedPartnerCredential(prisma, { partnerId: partner.id, rateLimit: 5 });
    const t0 = new Date("2026-11-30T14:59:30Z"); // 23:59:30 JST on 11-30
    // 5 concurrent requests in one minute: all allowed, counted exactly (atomic upsert).
    const counts = await Promise.all(
      Array.from({ length: 5 }, () =>
        recordApiRequest(prisma, { credentialId: credential.id, limitPerMinute: 5, now: t0 }),
      ),
    );
    expect(counts.map((c) => c.count).sort()).toEqual([1, 2, 3, 4, 5]);
    await expect(
      recordApiRequest(prisma, { credentialId: credential.id, limitPerMinute: 5, now: t0 }),
    ).rejects.toMatchObject({ code: "RATE_LIMITED", details: { limitPerMinute: 5, retryAfterSeconds: 30 } });
    // The next minute is a new window (and a new JST day).
    const t1 = new Date("2026-11-30T15:00:05Z");
    await expect(
      recordApiRequest(prisma, { credentialId: credential.id, limitPerMinute: 5, now: t1 }),
    ).resolves.toMatchObject({ count: 1 });

    const usage = await getPartnerApiUsage(prisma, { partnerId: partner.id, now: new Date("2026-12-01T03:00:00Z") });
    expect(usage.hourly.map((h) => [h.start.toISOString(), h.count])).toEqual([
      ["2026-11-30T14:00:00.000Z", 6],
      ["2026-11-30T15:00:00.000Z", 1],
    ]);
    expect(usage.daily.map((d) => [d.start.toISOString(), d.count])).toEqual([
      ["2026-11-29T15:00:00.000Z", 6],
      ["2026-11-30T15:00:00.000Z", 1],
    ]);
    expect(usage.totals).toEqual([
      { credentialId: credential.id, clientId: credential.clientId, mode: "LIVE", count: 7 },
    ]);
    // Another partner sees none of it.
    const other = await seedPartner(prisma);
    expect((await getPartnerApiUsage(prisma, { partnerId: other.id })).totals).toEqual([]);
  });

  it("[PARTNER][WEBHOOKS] the console registration resolves the host like the API: private answer or no answer is refused, nothing stored", async () => {
    const { prisma } = db();
    const answers: Record<string, string> = { "internal.example.jp": "10.1.2.3", "hooks.example.jp": "93.184.215.14" };
    const ctx: TPlatformContext = {
      prisma,
      signTrustAnchors: [],
      jlis: createJlisClient({ baseUrl: "http://127.0.0.1:9/jlis" }),
      webhooks: {
        ...DEFAULT_WEBHOOK_SETTINGS,
        resolve: async (host) => {
          const address = answers[host];
          if (!address) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
          return [{ address, family: 4 }];
        },
      },
    };
    const partner = await seedPartner(prisma);
    const user = await seedPartnerUser(prisma, { partnerId: partner.id, role: "DEVELOPER" });
    const register = (url: string) =>
      createEndpointFromConsole(ctx, {
        partnerId: partner.id,
        mode: "LIVE",
        partnerUser: { id: user.id, role: user.role },
        request: { url },
      });
    await expect(register("https://internal.example.jp/hooks")).rejects.toMatchObject({
      code: "WEBHOOK_ADDRESS_FORBIDDEN",
    });
    await expect(register("https://nowhere.example.jp/hooks")).rejects.toMatchObject({
      code: "WEBHOOK_HOST_UNRESOLVABLE",
    });
    expect(await prisma.webhookEndpoint.count({ where: { partnerId: partner.id } })).toBe(0);
    expect((await register("https://hooks.example.jp/hooks")).endpoint.url).toBe("https://hooks.example.jp/hooks");
  });

  it("[PARTNER][WEBHOOKS] replays a dead letter from the console to a real receiver that checks the signature, audited", async () => {
    const { prisma } = db();
    const receiver = await startWebhookReceiver();
    try {
      const ctx: TPlatformContext = {
        prisma,
        signTrustAnchors: [],
        jlis: createJlisClient({ baseUrl: "http://127.0.0.1:9/jlis" }),
        webhooks: { ...DEFAULT_WEBHOOK_SETTINGS, allowHttp: true, maxAttempts: 1 },
      };
      const partner = await seedPartner(prisma);
      const user = await seedPartnerUser(prisma, { partnerId: partner.id });
      const { endpoint, secret } = await createWebhookEndpoint(ctx, {
        mode: "LIVE",
        partnerId: partner.id,
        request: { url: receiver.url },
      });
      receiver.setSecret(secret);
      receiver.reset(() => 503);
      const { deliveryIds } = await prisma.$transaction((tx) =>
        enqueueWebhookEvent(tx, {
          mode: "LIVE",
          partnerId: partner.id,
          type: "webhook.test",
          data: { hello: "console" },
          now: new Date(),
        }),
      );
      await dispatchWebhookDeliveries(ctx);
      expect((await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryIds[0]! } })).status).toBe("DEAD");

      receiver.reset(() => 204);
      const actor = { partnerId: partner.id, partnerUser: { id: user.id, role: user.role } };
      const other = await seedPartner(prisma);
      await expect(
        replayDeliveryFromConsole(ctx, {
          ...actor,
          partnerId: other.id,
          endpointId: endpoint.id,
          deliveryId: deliveryIds[0]!,
        }),
      ).rejects.toMatchObject({ code: "NOT_FOUND" });
      const replayed = await replayDeliveryFromConsole(ctx, {
        ...actor,
        endpointId: endpoint.id,
        deliveryId: deliveryIds[0]!,
      });
      expect(replayed).toMatchObject({ status: "delivered", attempts: 2 });
      const [got] = await receiver.waitFor(1);
      expect(got).toMatchObject({ id: deliveryIds[0], verified: { type: "webhook.test", data: { hello: "console" } } });
      await expect(
        replayDeliveryFromConsole(ctx, { ...actor, endpointId: endpoint.id, deliveryId: deliveryIds[0]! }),
      ).rejects.toMatchObject({ code: "WEBHOOK_DELIVERY_NOT_REPLAYABLE" });

      await disableEndpointFromConsole(ctx, { ...actor, endpointId: endpoint.id });
      const events = await prisma.auditEvent.findMany({
        where: { type: "partner.webhook_changed", actorId: partner.id },
        orderBy: { seq: "asc" },
      });
      expect(events.map((e) => (e.data as { operation: string }).operation)).toEqual([
        "webhook_delivery_replayed",
        "webhook_endpoint_disabled",
      ]);
    } finally {
      await receiver.close();
    }
  });

  it("[PARTNER][DOCUMENTS] lists only the partner's documents by status with paging, auditing each one shown", async () => {
    const { prisma } = db();
    const partner = await seedPartner(prisma);
    const other = await seedPartner(prisma);
    const resident = await seedResident(prisma);
    const now = new Date("2026-12-01T00:00:00Z");
    const doc = (issuerPartnerId: string, i: number, extra: Record<string, unknown> = {}) =>
      prisma.mailboxDocument.create({
        data: {
          residentId: resident.id,
          issuerPartnerId,
          type: "town-notice",
          domain: "municipal",
          payload: { i },
          payloadHash: "0".repeat(64),
          signature: new Uint8Array([1]),
          verificationReport: {},
          signatureValid: true,
          searchText: "",
          createdAt: new Date(now.getTime() - (100 - i) * 60_000),
          ...extra,
        },
        select: { id: true },
      });
    const delivered = [];
    for (let i = 0; i < 5; i++) delivered.push((await doc(partner.id, i)).id);
    const opened = await doc(partner.id, 10, { readAt: now });
    const expired = await doc(partner.id, 11, { readAt: now, expiresAt: new Date(now.getTime() - 1) });
    const shared = await doc(partner.id, 12, { readAt: now });
    await prisma.documentShare.create({
      data: {
        documentId: shared.id,
        residentId: resident.id,
        partnerId: other.id,
        expiresAt: new Date(now.getTime() + 86_400_000),
      },
    });
    await doc(other.id, 13);

    const all = await listPartnerDocuments(prisma, { partnerId: partner.id, now, pageSize: 3 });
    expect(all.total).toBe(8);
    expect(all.items.map((d) => [d.id, d.status])).toEqual([
      [shared.id, "shared"],
      [expired.id, "expired"],
      [opened.id, "opened"],
    ]);
    const page3 = await listPartnerDocuments(prisma, { partnerId: partner.id, now, pageSize: 3, page: 3 });
    expect(page3.items.map((d) => d.id)).toEqual([delivered[1], delivered[0]]);
    for (const [status, ids] of [
      ["delivered", [...delivered].reverse()],
      ["opened", [opened.id]],
      ["shared", [shared.id]],
      ["expired", [expired.id]],
    ] as const) {
      const r = await listPartnerDocuments(prisma, { partnerId: partner.id, now, status });
      expect(
        r.items.map((d) => d.id),
        status,
      ).toEqual(ids);
    }
    expect((await listPartnerDocuments(prisma, { partnerId: other.id, now })).total).toBe(1);
    const audits = await prisma.auditEvent.count({
      where: { type: "document.receipt_read", channel: "console", subjectResidentId: resident.id },
    });
    expect(audits).toBe(3 + 2 + 5 + 1 + 1 + 1 + 1);
    await expect(
      listPartnerDocuments(prisma, { partnerId: partner.id, status: "failed" as "opened" }),
    ).rejects.toThrow();
  });
});
