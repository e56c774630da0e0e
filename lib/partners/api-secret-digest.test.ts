import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { seedPartner, seedPartnerCredential } from "../../prisma/seed/factories";
import { secretKeyId, secretsEncryptionKeys } from "../crypto/secret-box";
import type { PrismaClient } from "../db/client";
import { env } from "../env";
import { useTestDatabase } from "../../test/db";
import {
  apiSecretKeys,
  currentApiSecretDigestPrefix,
  digestApiSecret,
  type TApiSecretKeys,
  verifyApiSecret,
} from "./api-secret-digest";
import { countStaleApiSecretDigests } from "./count-stale-api-secret-digests";
import { createPartnerCredential } from "./create-partner-credential";
import { rotatePartnerCredential } from "./rotate-partner-credential";
import { API_SECRET_SCRYPT, hashSecret } from "./secret-hash";
import { verifyPartnerCredential } from "./verify-partner-credential";

const secret = `ich_secret_${Buffer.alloc(32, 7).toString("base64url")}`;
// Fixed keys: the malformed-value table below relies on the old key's id having a letter in it.
const oldKey = Buffer.alloc(32, 1);
const newKey = Buffer.alloc(32, 2);
const beforeRotation: TApiSecretKeys = { key: oldKey, previousKeys: [] };
const duringRotation: TApiSecretKeys = { key: newKey, previousKeys: [oldKey] };
const afterRotation: TApiSecretKeys = { key: newKey, previousKeys: [] };
const DIGEST = /^hmac-sha256\$([0-9a-f]{8})\$([A-Za-z0-9_-]{43})$/;

describe("API secret digests (HMAC-SHA256 under a key derived from SECRETS_ENCRYPTION_KEY)", () => {
  it("[PARTNER][SECRET_DIGEST] stores hmac-sha256$<kid>$<tag> and verifies only the right secret", async () => {
    const stored = digestApiSecret(secret, beforeRotation);
    expect(stored).toMatch(DIGEST);
    expect(DIGEST.exec(stored)?.[1]).toBe(secretKeyId(oldKey));
    expect(stored.startsWith(currentApiSecretDigestPrefix(beforeRotation))).toBe(true);
    expect(stored).not.toContain(secret.slice(11, 30));
    // Deterministic (no salt: the secret is 256 random bits), keyed (another key, another tag).
    expect(digestApiSecret(secret, beforeRotation)).toBe(stored);
    expect(digestApiSecret(secret, afterRotation).split("$")[2]).not.toBe(stored.split("$")[2]);
    // Not a plain hash of the secret, and not HMAC under the raw secrets key (HKDF-derived).
    const tag = Buffer.from(stored.split("$")[2]!, "base64url");
    expect(tag.equals(createHash("sha256").update(secret).digest())).toBe(false);

    expect(await verifyApiSecret(secret, stored, beforeRotation)).toEqual({ ok: true, upgradeTo: null });
    expect(await verifyApiSecret(`${secret}x`, stored, beforeRotation)).toEqual({ ok: false });
    expect(await verifyApiSecret(secret.slice(0, -1), stored, beforeRotation)).toEqual({ ok: false });
    expect(await verifyApiSecret("", stored, beforeRotation)).toEqual({ ok: false });
  });

  it("[PARTNER][SECRET_DIGEST] a known answer: stored digests stay verifiable across code changes", async () => {
    // Computed once with node:crypto (HKDF-SHA256, empty salt, info "ichimai partner API client
    // secret digest v1"; HMAC-SHA256). A change to the derivation would strand every stored secret.
    const keys: TApiSecretKeys = { key: Buffer.alloc(32, 0x11), previousKeys: [] };
    const known = "hmac-sha256$02d449a3$Ak_-TLZEZE4ogPq9sJ_QecirL1GvzguurMGoKYEJSU8";
    expect(digestApiSecret("ich_secret_known-answer", keys)).toBe(known);
    expect(await verifyApiSecret("ich_secret_known-answer", known, keys)).toEqual({ ok: true, upgradeTo: null });
  });

  it("[PARTNER][SECRET_DIGEST] uses the configured key by default (the dev key in tests)", async () => {
    const configured = secretsEncryptionKeys(env());
    expect(apiSecretKeys()).toBe(apiSecretKeys()); // derived once per configuration
    const stored = digestApiSecret(secret);
    expect(stored).toBe(digestApiSecret(secret, configured));
    expect(stored.split("$")[1]).toBe(secretKeyId(configured.key));
    expect(await verifyApiSecret(secret, stored)).toEqual({ ok: true, upgradeTo: null });
  });

  it("[PARTNER][SECRET_DIGEST] a digest under the previous key verifies by its kid and is re-digested under the current one", async () => {
    const old = digestApiSecret(secret, beforeRotation);
    const check = await verifyApiSecret(secret, old, duringRotation);
    expect(check).toEqual({ ok: true, upgradeTo: digestApiSecret(secret, afterRotation) });
    expect(await verifyApiSecret(`${secret}x`, old, duringRotation)).toEqual({ ok: false });
    // Once the old key is removed, a digest still under it no longer verifies (hence the runbook).
    expect(await verifyApiSecret(secret, old, afterRotation)).toEqual({ ok: false });
    // A digest relabelled with the current key's id does not verify either.
    const relabelled = old.replace(secretKeyId(oldKey), secretKeyId(newKey));
    expect(await verifyApiSecret(secret, relabelled, duringRotation)).toEqual({ ok: false });
  });

  it("[PARTNER][SECRET_DIGEST] a legacy scrypt hash verifies and asks for the current digest", async () => {
    const legacy = await hashSecret(secret, API_SECRET_SCRYPT);
    expect(legacy).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await verifyApiSecret(secret, legacy, duringRotation)).toEqual({
      ok: true,
      upgradeTo: digestApiSecret(secret, duringRotation),
    });
    expect(await verifyApiSecret(`${secret}x`, legacy, duringRotation)).toEqual({ ok: false });
  });

  it("[PARTNER][SECRET_DIGEST] malformed stored values are refused, never thrown", async () => {
    const good = digestApiSecret(secret, beforeRotation);
    const [, kid, tag] = good.split("$");
    expect(kid).toMatch(/[a-f]/); // so that the upper-cased id below is another string
    const legacy = await hashSecret("x", API_SECRET_SCRYPT);
    const [, , r, p, salt, hash] = legacy.split("$");
    for (const bad of [
      "",
      "$",
      "hmac-sha256",
      "hmac-sha256$",
      `hmac-sha256$${kid}`,
      `hmac-sha256$${kid}$`,
      `hmac-sha256$${kid}$${tag}$`,
      `hmac-sha256$${kid}$${tag!.slice(0, -1)}`, // 31.x bytes
      `hmac-sha256$${kid}$${tag}A`, // too long
      `hmac-sha256$${kid}$${tag!.slice(0, -2)}+/`, // not base64url
      `hmac-sha256$${kid!.toUpperCase()}$${tag}`,
      `hmac-sha256$${kid!.slice(1)}$${tag}`,
      `hmac-sha256$00000000$${tag}`, // unknown key id
      `HMAC-SHA256$${kid}$${tag}`,
      `hmac-sha512$${kid}$${tag}`,
      ` ${good}`,
      `${good}\n`,
      secret, // a plaintext secret stored by mistake
      "bcrypt$2$3$4$5$6",
      `scrypt$1000$${r}$${p}$${salt}$${hash}`, // N not a power of two
      `scrypt$${2 ** 24}$${r}$${p}$${salt}$${hash}`, // N too large to allow
      `scrypt$16384$${r}$${p}$${salt}`,
      `scrypt$16384$${r}$${p}$${salt}$AAAA`,
    ]) {
      await expect(verifyApiSecret(secret, bad, beforeRotation), bad).resolves.toEqual({ ok: false });
    }
    await expect(verifyApiSecret("x", `scrypt$16384$${r}$${p}$${salt}$${hash}`, beforeRotation)).resolves.toMatchObject(
      { ok: true },
    );
  });
});

describe("verifyPartnerCredential with stored digests", () => {
  const db = useTestDatabase();

  /** Counts row updates that set PartnerCredential.secretHash (same value or not) in this file's database. */
  async function countSecretHashWrites(prisma: PrismaClient): Promise<() => Promise<number>> {
    await prisma.$executeRawUnsafe(`CREATE TABLE IF NOT EXISTS secret_hash_writes (credential_id uuid NOT NULL)`);
    await prisma.$executeRawUnsafe(`
      CREATE OR REPLACE FUNCTION note_secret_hash_write() RETURNS trigger AS $$
      BEGIN INSERT INTO secret_hash_writes VALUES (NEW.id); RETURN NEW; END $$ LANGUAGE plpgsql`);
    await prisma.$executeRawUnsafe(`DROP TRIGGER IF EXISTS note_secret_hash_write ON "PartnerCredential"`);
    await prisma.$executeRawUnsafe(`
      CREATE TRIGGER note_secret_hash_write AFTER UPDATE OF "secretHash" ON "PartnerCredential"
      FOR EACH ROW EXECUTE FUNCTION note_secret_hash_write()`);
    return async () => {
      const [row] = await prisma.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM secret_hash_writes`);
      return Number(row?.n ?? 0);
    };
  }

  it("[PARTNER][SECRET_DIGEST] new and rotated credentials are stored as digests under the current key", async () => {
    const { prisma } = db();
    const partner = await seedPartner(prisma, { approvedScopes: ["sandbox"] });
    const created = await createPartnerCredential(prisma, {
      partnerId: partner.id,
      scopes: ["sandbox"],
      actor: { type: "system", id: "test" },
    });
    const stored = async (id: string) =>
      (await prisma.partnerCredential.findUniqueOrThrow({ where: { id } })).secretHash;
    expect(await stored(created.credential.id)).toBe(digestApiSecret(created.clientSecret));
    const rotated = await rotatePartnerCredential(prisma, {
      credentialId: created.credential.id,
      actor: { type: "system", id: "test" },
    });
    expect(await stored(rotated.credential.id)).toBe(digestApiSecret(rotated.clientSecret));
    // A fresh digest verifies without rewriting the row.
    await verifyPartnerCredential(prisma, {
      clientId: rotated.credential.clientId,
      clientSecret: rotated.clientSecret,
    });
    expect(await stored(rotated.credential.id)).toBe(digestApiSecret(rotated.clientSecret));
  });

  it("[PARTNER][SECRET_DIGEST] a legacy scrypt row verifies and is upgraded exactly once, also under concurrent first uses; a wrong secret never rewrites it", async () => {
    const { prisma } = db();
    const writes = await countSecretHashWrites(prisma);
    const before = await writes();
    const { credential, clientSecret } = await seedPartnerCredential(prisma);
    const legacy = await hashSecret(clientSecret, API_SECRET_SCRYPT);
    await prisma.partnerCredential.update({ where: { id: credential.id }, data: { secretHash: legacy } });
    const stored = async () => prisma.partnerCredential.findUniqueOrThrow({ where: { id: credential.id } });
    const setupWrites = (await writes()) - before; // the legacy value written above

    await expect(
      verifyPartnerCredential(prisma, { clientId: credential.clientId, clientSecret: `${clientSecret}x` }),
    ).rejects.toMatchObject({ code: "PARTNER_CREDENTIAL_INVALID" });
    expect((await stored()).secretHash).toBe(legacy);

    const now = new Date();
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        verifyPartnerCredential(prisma, { clientId: credential.clientId, clientSecret, now }),
      ),
    );
    expect(results.every((r) => r.credentialId === credential.id)).toBe(true);
    const upgraded = await stored();
    expect(upgraded.secretHash).toBe(digestApiSecret(clientSecret));
    expect(upgraded.lastUsedAt).toEqual(now); // the same write
    expect((await writes()) - before - setupWrites).toBe(1);

    // Later uses find the current digest: nothing more is written.
    await verifyPartnerCredential(prisma, { clientId: credential.clientId, clientSecret });
    await verifyPartnerCredential(prisma, { clientId: credential.clientId, clientSecret });
    expect((await writes()) - before - setupWrites).toBe(1);
    expect((await stored()).secretHash).toBe(digestApiSecret(clientSecret));
  });

  it("[PARTNER][SECRET_DIGEST] a revoked legacy row is refused and left as it is", async () => {
    const { prisma } = db();
    const { credential, clientSecret } = await seedPartnerCredential(prisma, { revokedAt: new Date("2020-01-01") });
    const legacy = await hashSecret(clientSecret, API_SECRET_SCRYPT);
    await prisma.partnerCredential.update({ where: { id: credential.id }, data: { secretHash: legacy } });
    await expect(
      verifyPartnerCredential(prisma, { clientId: credential.clientId, clientSecret }),
    ).rejects.toMatchObject({ code: "PARTNER_CREDENTIAL_REVOKED" });
    expect((await prisma.partnerCredential.findUniqueOrThrow({ where: { id: credential.id } })).secretHash).toBe(
      legacy,
    );
  });

  it("[PARTNER][SECRET_DIGEST] after a key rotation a digest under the previous key verifies and is re-digested under the current one", async () => {
    const { prisma } = db();
    const partner = await seedPartner(prisma);
    const { credential, clientSecret } = await seedPartnerCredential(prisma, { partnerId: partner.id });
    const other = await seedPartnerCredential(prisma, { partnerId: partner.id });
    for (const c of [
      { id: credential.id, s: clientSecret },
      { id: other.credential.id, s: other.clientSecret },
    ]) {
      await prisma.partnerCredential.update({
        where: { id: c.id },
        data: { secretHash: digestApiSecret(c.s, beforeRotation), lastUsedAt: new Date() },
      });
    }
    const stored = async (id: string) =>
      (await prisma.partnerCredential.findUniqueOrThrow({ where: { id } })).secretHash;
    const onlyThese = { keys: duringRotation };
    const stale = await countStaleApiSecretDigests(prisma, onlyThese);
    expect(stale.otherKey).toBeGreaterThanOrEqual(2);

    // Wrong secret: refused, untouched. Right secret: accepted, re-digested although lastUsedAt
    // was written a moment ago (no lastUsedAt write is due).
    await expect(
      verifyPartnerCredential(prisma, {
        clientId: credential.clientId,
        clientSecret: `${clientSecret}x`,
        secretKeys: duringRotation,
      }),
    ).rejects.toMatchObject({ code: "PARTNER_CREDENTIAL_INVALID" });
    expect(await stored(credential.id)).toBe(digestApiSecret(clientSecret, beforeRotation));
    await verifyPartnerCredential(prisma, { clientId: credential.clientId, clientSecret, secretKeys: duringRotation });
    expect(await stored(credential.id)).toBe(digestApiSecret(clientSecret, afterRotation));
    expect(await countStaleApiSecretDigests(prisma, onlyThese)).toEqual({ ...stale, otherKey: stale.otherKey - 1 });

    // The old key removed: the re-digested credential works, the unused one no longer does.
    await verifyPartnerCredential(prisma, { clientId: credential.clientId, clientSecret, secretKeys: afterRotation });
    await expect(
      verifyPartnerCredential(prisma, {
        clientId: other.credential.clientId,
        clientSecret: other.clientSecret,
        secretKeys: afterRotation,
      }),
    ).rejects.toMatchObject({ code: "PARTNER_CREDENTIAL_INVALID" });
  });

  it("[PARTNER][CREDENTIAL_LOOKUP] the one-statement lookup reads the partner, mode, scopes and instants exactly", async () => {
    const { prisma } = db();
    const partner = await seedPartner(prisma, {
      slug: "lookup-partner",
      approvedScopes: ["sandbox", "documents:status"],
    });
    const expiresAt = new Date("2031-02-03T04:05:06.789Z");
    const { credential, clientSecret } = await seedPartnerCredential(prisma, {
      partnerId: partner.id,
      mode: "LIVE",
      rateLimit: 42,
      expiresAt,
      scopes: ["sandbox", "documents:status"],
    });
    const lastUsedAt = new Date("2031-01-01T00:00:00.123Z");
    await prisma.partnerCredential.update({ where: { id: credential.id }, data: { lastUsedAt } });
    const verify = (now: Date) => verifyPartnerCredential(prisma, { clientId: credential.clientId, clientSecret, now });

    // Within a minute of lastUsedAt (read back to the millisecond): accepted, nothing written.
    await expect(verify(new Date(lastUsedAt.getTime() + 59_999))).resolves.toEqual({
      credentialId: credential.id,
      clientId: credential.clientId,
      partnerId: partner.id,
      partnerSlug: "lookup-partner",
      mode: "LIVE",
      scopes: ["sandbox", "documents:status"],
      rateLimit: 42,
    });
    const row = () => prisma.partnerCredential.findUniqueOrThrow({ where: { id: credential.id } });
    expect((await row()).lastUsedAt).toEqual(lastUsedAt);
    // One millisecond before expiry works, at expiry it does not.
    await expect(verify(new Date(expiresAt.getTime() - 1))).resolves.toMatchObject({ credentialId: credential.id });
    expect((await row()).lastUsedAt).toEqual(new Date(expiresAt.getTime() - 1));
    await expect(verify(expiresAt)).rejects.toMatchObject({ code: "PARTNER_CREDENTIAL_EXPIRED" });
  });

  it("[PARTNER][SECRET_DIGEST] unknown ids and wrong secrets give the same answer", async () => {
    const { prisma } = db();
    const { credential, clientSecret } = await seedPartnerCredential(prisma);
    const codeOf = (p: Promise<unknown>) =>
      p.then(
        () => "ok",
        (e: { code?: string }) => e.code,
      );
    const answers = await Promise.all([
      codeOf(verifyPartnerCredential(prisma, { clientId: "ich_test_ffffffffffffffffffffffff", clientSecret })),
      codeOf(verifyPartnerCredential(prisma, { clientId: credential.clientId, clientSecret: `${clientSecret}x` })),
      codeOf(verifyPartnerCredential(prisma, { clientId: credential.clientId, clientSecret: "" })),
      codeOf(verifyPartnerCredential(prisma, { clientId: "not-an-id", clientSecret })),
    ]);
    expect(answers).toEqual(Array(4).fill("PARTNER_CREDENTIAL_INVALID"));
  });
});
