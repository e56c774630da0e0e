import { describe, expect, it } from "vitest";
import { seedPartner, seedPartnerCredential } from "../../prisma/seed/factories";
import { verifyAuditChain } from "../audit/verify-audit-chain";
import { useTestDatabase } from "../../test/db";
import { createPartnerCredential } from "./create-partner-credential";
import { revokePartnerCredential } from "./revoke-partner-credential";
import { ZApiScope } from "./scopes";
import { hashPassword, hashSecret, needsRehash, PASSWORD_SCRYPT, scryptParamsOf, verifySecret } from "./secret-hash";
import { verifyPartnerCredential } from "./verify-partner-credential";

const system = { type: "system", id: "test" } as const;

describe("scrypt hashes (console passwords; API secrets stored before api-secret-digest.ts)", () => {
  it("stores scrypt$N$r$p$salt$hash and verifies only the right secret", async () => {
    const stored = await hashSecret("s3cret");
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await verifySecret("s3cret", stored)).toBe(true);
    expect(await verifySecret("s3creT", stored)).toBe(false);
    expect(await hashSecret("s3cret")).not.toBe(stored); // fresh salt
  });

  it("hashes console passwords at N=2^17 (OWASP), API secrets stay at N=2^14; needsRehash only for weaker hashes", async () => {
    const password = await hashPassword("pw");
    expect(password).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await verifySecret("pw", password)).toBe(true);
    expect(await verifySecret("pW", password)).toBe(false);
    const api = await hashSecret("pw");
    expect(scryptParamsOf(api)).toEqual({ N: 16_384, r: 8, p: 1 });
    expect(needsRehash(api, PASSWORD_SCRYPT)).toBe(true);
    expect(needsRehash(password, PASSWORD_SCRYPT)).toBe(false);
    // Stronger stored parameters are never downgraded; a malformed value is always replaced.
    expect(needsRehash(`scrypt$${2 ** 18}$8$1$${"A".repeat(22)}$${"A".repeat(43)}`, PASSWORD_SCRYPT)).toBe(false);
    expect(needsRehash(`scrypt$${2 ** 17}$4$1$${"A".repeat(22)}$${"A".repeat(43)}`, PASSWORD_SCRYPT)).toBe(true);
    expect(needsRehash("", PASSWORD_SCRYPT)).toBe(true);
  });

  it("refuses malformed or abusive stored values without throwing", async () => {
    const stored = await hashSecret("x");
    const [, , r, p, salt, hash] = stored.split("$");
    for (const bad of [
      "",
      "bcrypt$2$3$4$5$6",
      `scrypt$1000$${r}$${p}$${salt}$${hash}`, // N not a power of two
      `scrypt$${2 ** 24}$${r}$${p}$${salt}$${hash}`, // N too large to allow
      `scrypt$${2 ** 20}$32$${p}$${salt}$${hash}`, // 4 GiB of memory
      `scrypt$16384$${r}$${p}$${salt}`,
      `scrypt$16384$${r}$${p}$${salt}$AAAA`,
    ]) {
      expect(await verifySecret("x", bad)).toBe(false);
    }
  });
});

describe("partner credentials", () => {
  const db = useTestDatabase();

  it("has the fourteen API scopes", () => {
    expect(ZApiScope.options).toEqual([
      "documents:deliver",
      "documents:status",
      "documents:receive",
      "identity:verify",
      "identity:facts",
      "eligibility:verify",
      "links:write",
      "change:watch",
      "webhooks:manage",
      "emergency:read",
      "sandbox",
      "insurance:roster",
      "hospital:visits",
      "signing:request",
      "probe:write",
      "reports:write",
    ]);
  });

  it("issues a credential once, stores only the hash, audits it, and verifies it", async () => {
    const { prisma } = db();
    const partner = await seedPartner(prisma, {
      kind: "LIFE_INSURER",
      approvedScopes: ["documents:deliver", "sandbox"],
    });
    const { credential, clientSecret } = await createPartnerCredential(prisma, {
      partnerId: partner.id,
      scopes: ["documents:deliver"],
      actor: { type: "staff", id: "staff-1" },
      channel: "console",
    });
    expect(credential.clientId).toMatch(/^ich_test_[0-9a-f]{24}$/);
    expect(clientSecret).toMatch(/^ich_secret_[A-Za-z0-9_-]{43}$/);
    expect(credential.secretHint).toBe(clientSecret.slice(-4));
    expect(credential).not.toHaveProperty("secretHash");
    const row = await prisma.partnerCredential.findUniqueOrThrow({ where: { id: credential.id } });
    expect(row.secretHash).toMatch(/^hmac-sha256\$[0-9a-f]{8}\$[A-Za-z0-9_-]{43}$/);
    expect(row.secretHash).not.toContain(clientSecret);

    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { type: "partner.credential_created" } });
    expect(audit).toMatchObject({ actorType: "staff", actorId: "staff-1", channel: "console" });
    expect(JSON.stringify(audit.data)).not.toContain(clientSecret);
    expect(await verifyAuditChain(prisma)).toMatchObject({ ok: true });

    const verified = await verifyPartnerCredential(prisma, {
      clientId: credential.clientId,
      clientSecret,
      requiredScope: "documents:deliver",
    });
    expect(verified).toMatchObject({ partnerId: partner.id, mode: "TEST", scopes: ["documents:deliver"] });
    const used = await prisma.partnerCredential.findUniqueOrThrow({ where: { id: credential.id } });
    expect(used.lastUsedAt).toBeInstanceOf(Date);

    const live = await createPartnerCredential(prisma, {
      partnerId: partner.id,
      mode: "LIVE",
      scopes: ["sandbox"],
      actor: system,
    });
    expect(live.credential.clientId).toMatch(/^ich_live_/);
  });

  it("refuses scopes the partner is not approved for, and inactive partners", async () => {
    const { prisma } = db();
    const partner = await seedPartner(prisma, { approvedScopes: ["documents:deliver"] });
    await expect(
      createPartnerCredential(prisma, {
        partnerId: partner.id,
        scopes: ["documents:deliver", "identity:facts"],
        actor: system,
      }),
    ).rejects.toMatchObject({ code: "PARTNER_SCOPE_NOT_APPROVED", details: { scopes: ["identity:facts"] } });
    await expect(
      createPartnerCredential(prisma, {
        partnerId: partner.id,
        scopes: ["not:a-scope" as "sandbox"],
        actor: system,
      }),
    ).rejects.toThrow();
    const inactive = await seedPartner(prisma, { active: false });
    await expect(
      createPartnerCredential(prisma, { partnerId: inactive.id, scopes: ["sandbox"], actor: system }),
    ).rejects.toMatchObject({ code: "PARTNER_INACTIVE" });
    expect(await prisma.partnerCredential.count({ where: { partnerId: { in: [partner.id, inactive.id] } } })).toBe(0);
  });

  it("answers unknown ids and wrong secrets alike, and tells revoked and expired apart", async () => {
    const { prisma } = db();
    const { credential, clientSecret } = await seedPartnerCredential(prisma);
    await expect(
      verifyPartnerCredential(prisma, { clientId: credential.clientId, clientSecret: `${clientSecret}x` }),
    ).rejects.toMatchObject({ code: "PARTNER_CREDENTIAL_INVALID" });
    await expect(
      verifyPartnerCredential(prisma, { clientId: "ich_test_000000000000000000000000", clientSecret }),
    ).rejects.toMatchObject({ code: "PARTNER_CREDENTIAL_INVALID" });
    await expect(verifyPartnerCredential(prisma, { clientId: "'; drop", clientSecret })).rejects.toMatchObject({
      code: "PARTNER_CREDENTIAL_INVALID",
    });

    const expired = await seedPartnerCredential(prisma, { expiresAt: new Date("2020-01-01T00:00:00Z") });
    await expect(
      verifyPartnerCredential(prisma, { clientId: expired.credential.clientId, clientSecret: expired.clientSecret }),
    ).rejects.toMatchObject({ code: "PARTNER_CREDENTIAL_EXPIRED" });
    // Valid until then: a fixed clock before expiry accepts it.
    await expect(
      verifyPartnerCredential(prisma, {
        clientId: expired.credential.clientId,
        clientSecret: expired.clientSecret,
        now: new Date("2019-12-31T00:00:00Z"),
      }),
    ).resolves.toMatchObject({ clientId: expired.credential.clientId });

    const before = await prisma.auditEvent.count({ where: { type: "partner.credential_revoked" } });
    await revokePartnerCredential(prisma, { credentialId: credential.id, reason: "leaked", actor: system });
    await revokePartnerCredential(prisma, { credentialId: credential.id, actor: system });
    expect(await prisma.auditEvent.count({ where: { type: "partner.credential_revoked" } })).toBe(before + 1);
    await expect(
      verifyPartnerCredential(prisma, { clientId: credential.clientId, clientSecret }),
    ).rejects.toMatchObject({ code: "PARTNER_CREDENTIAL_REVOKED" });
    // A wrong secret for a revoked credential does not learn that it is revoked.
    await expect(
      verifyPartnerCredential(prisma, { clientId: credential.clientId, clientSecret: "nope" }),
    ).rejects.toMatchObject({ code: "PARTNER_CREDENTIAL_INVALID" });
  });

  it("follows the partner's current approval and activity", async () => {
    const { prisma } = db();
    const partner = await seedPartner(prisma, { approvedScopes: ["identity:verify", "identity:facts"] });
    const { credential, clientSecret } = await seedPartnerCredential(prisma, { partnerId: partner.id });
    expect(credential.scopes).toEqual(["identity:verify", "identity:facts"]);
    await prisma.partner.update({ where: { id: partner.id }, data: { approvedScopes: ["identity:verify"] } });
    const verified = await verifyPartnerCredential(prisma, { clientId: credential.clientId, clientSecret });
    expect(verified.scopes).toEqual(["identity:verify"]);
    await expect(
      verifyPartnerCredential(prisma, { clientId: credential.clientId, clientSecret, requiredScope: "identity:facts" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await prisma.partner.update({ where: { id: partner.id }, data: { active: false } });
    await expect(
      verifyPartnerCredential(prisma, { clientId: credential.clientId, clientSecret }),
    ).rejects.toMatchObject({ code: "PARTNER_INACTIVE" });
  });
});
