import { createCipheriv, createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseEnv } from "../env";
import { AppError } from "../errors/app-error";
import {
  isSealedSecret,
  isSealedUnderKey,
  openSecret,
  sealSecret,
  secretKeyId,
  secretsEncryptionKey,
  secretsEncryptionKeys,
} from "./secret-box";

const key = randomBytes(32);
const secret = `whsec_${Buffer.alloc(32, 9).toString("base64")}`;
const aad = "3f1c2a1e-0000-4000-8000-000000000001";

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
  throw new Error("expected a throw");
}

describe("secret-box (AES-256-GCM envelopes)", () => {
  it("[SECRET_BOX][ROUND_TRIP]: seals into a v2 envelope naming its key that hides the secret and opens back", () => {
    const sealed = sealSecret(secret, { key, aad });
    const kid = createHash("sha256").update(key).digest("hex").slice(0, 8);
    expect(secretKeyId(key)).toBe(kid);
    expect(sealed).toMatch(new RegExp(`^v2:${kid}:[A-Za-z0-9_-]+$`));
    expect(isSealedSecret(sealed)).toBe(true);
    expect(isSealedUnderKey(sealed, key)).toBe(true);
    expect(isSealedUnderKey(sealed, randomBytes(32))).toBe(false);
    expect(sealed).not.toContain(secret.slice(6, 20));
    // 12-byte IV + ciphertext + 16-byte tag.
    expect(Buffer.from(sealed.slice(12), "base64url")).toHaveLength(12 + Buffer.byteLength(secret) + 16);
    expect(openSecret(sealed, { key, aad })).toBe(secret);
    // A fresh IV each time.
    expect(sealSecret(secret, { key, aad })).not.toBe(sealed);
  });

  it("[SECRET_BOX][AAD]: a ciphertext copied to another row (other AAD) does not open", () => {
    const sealed = sealSecret(secret, { key, aad });
    expect(codeOf(() => openSecret(sealed, { key, aad: "3f1c2a1e-0000-4000-8000-000000000002" }))).toBe(
      "SECRET_UNREADABLE",
    );
  });

  it("[SECRET_BOX][TAMPER]: a flipped bit in the tag, the ciphertext or the IV, or truncation, is SECRET_UNREADABLE", () => {
    const sealed = sealSecret(secret, { key, aad });
    const header = sealed.slice(0, 12);
    const raw = Buffer.from(sealed.slice(12), "base64url");
    for (const at of [0, 20, raw.length - 1]) {
      const t = Buffer.from(raw);
      t[at] = t[at]! ^ 1;
      expect(
        codeOf(() => openSecret(`${header}${t.toString("base64url")}`, { key, aad })),
        `byte ${at}`,
      ).toBe("SECRET_UNREADABLE");
    }
    expect(codeOf(() => openSecret(`${header}${raw.subarray(0, 20).toString("base64url")}`, { key, aad }))).toBe(
      "SECRET_UNREADABLE",
    );
    expect(codeOf(() => openSecret("v2:AAAA", { key, aad }))).toBe("SECRET_UNREADABLE");
    expect(codeOf(() => openSecret("v3:AAAA", { key, aad }))).toBe("SECRET_UNREADABLE");
    // The header is authenticated: a v2 body relabelled v1 does not open, even with the right key.
    expect(codeOf(() => openSecret(`v1:${raw.toString("base64url")}`, { key, aad }))).toBe("SECRET_UNREADABLE");
  });

  it("[SECRET_BOX][WRONG_KEY]: another key does not open it", () => {
    const sealed = sealSecret(secret, { key, aad });
    expect(codeOf(() => openSecret(sealed, { key: randomBytes(32), aad }))).toBe("SECRET_UNREADABLE");
    expect(() => sealSecret(secret, { key: randomBytes(16), aad })).toThrow(AppError);
  });

  it("[SECRET_BOX][LEGACY]: a legacy plaintext whsec_ value is not an envelope (the caller decides), and opening it fails", () => {
    expect(isSealedSecret(secret)).toBe(false);
    expect(codeOf(() => openSecret(secret, { key, aad }))).toBe("SECRET_UNREADABLE");
  });

  it("[SECRET_BOX][CONFIG]: SECRETS_ENCRYPTION_KEY is 32 bytes of base64; dev/test fall back to a fixed key; production needs one", () => {
    const configured = randomBytes(32).toString("base64");
    expect(secretsEncryptionKey(parseEnv({ SECRETS_ENCRYPTION_KEY: configured })).toString("base64")).toBe(configured);
    expect(() => parseEnv({ SECRETS_ENCRYPTION_KEY: randomBytes(16).toString("base64") })).toThrow(
      /SECRETS_ENCRYPTION_KEY/,
    );
    const dev = secretsEncryptionKey(parseEnv({ NODE_ENV: "test" }));
    expect(dev).toHaveLength(32);
    expect(secretsEncryptionKey(parseEnv({ NODE_ENV: "development" }))).toEqual(dev);
    expect(codeOf(() => secretsEncryptionKey(parseEnv({ NODE_ENV: "production" })))).toBe("INTERNAL");
  });
  /** A `v1:` envelope as written before key ids (AAD = the caller's only). */
  function sealV1(plaintext: string, k: Uint8Array): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", k, iv, { authTagLength: 16 });
    cipher.setAAD(Buffer.from(aad, "utf8"));
    const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return `v1:${Buffer.concat([iv, ct, cipher.getAuthTag()]).toString("base64url")}`;
  }

  it("[SECRET_BOX][ROTATION]: after a rotation v1 and old-key v2 envelopes open through the previous keys; new seals use the current key", () => {
    const oldKey = randomBytes(32);
    const olderKey = randomBytes(32);
    const newKey = randomBytes(32);
    const v1 = sealV1(secret, oldKey);
    const v2old = sealSecret(secret, { key: oldKey, aad });
    const v2older = sealSecret(secret, { key: olderKey, aad });
    const ring = { key: newKey, previousKeys: [olderKey, oldKey], aad };
    expect(isSealedSecret(v1)).toBe(true);
    expect(openSecret(v1, ring)).toBe(secret);
    expect(openSecret(v2old, ring)).toBe(secret);
    expect(openSecret(v2older, ring)).toBe(secret);
    const fresh = sealSecret(secret, ring);
    expect(isSealedUnderKey(fresh, newKey)).toBe(true);
    expect(fresh.startsWith(`v2:${secretKeyId(newKey)}:`)).toBe(true);
    // v1 before the rotation (the old key was current) still opens too.
    expect(openSecret(v1, { key: oldKey, aad })).toBe(secret);
    // Without the previous key the old envelopes do not open.
    expect(codeOf(() => openSecret(v1, { key: newKey, aad }))).toBe("SECRET_UNREADABLE");
    expect(codeOf(() => openSecret(v2old, { key: newKey, previousKeys: [olderKey], aad }))).toBe("SECRET_UNREADABLE");
  });

  it("[SECRET_BOX][KID]: an unknown key id, or a kid changed to another configured key's, is SECRET_UNREADABLE", () => {
    const other = randomBytes(32);
    const sealed = sealSecret(secret, { key, aad });
    const body = sealed.slice(12);
    // Unknown kid: no configured key has it.
    expect(codeOf(() => openSecret(sealed, { key: other, aad }))).toBe("SECRET_UNREADABLE");
    expect(codeOf(() => openSecret(`v2:00000000:${body}`, { key, previousKeys: [other], aad }))).toBe(
      "SECRET_UNREADABLE",
    );
    // Relabelled with the other configured key's id: that key does not open it, and the kid is in the AAD.
    expect(codeOf(() => openSecret(`v2:${secretKeyId(other)}:${body}`, { key: other, previousKeys: [key], aad }))).toBe(
      "SECRET_UNREADABLE",
    );
    // Malformed kids are not v2 envelopes at all.
    expect(isSealedSecret(`v2:XYZ:${body}`)).toBe(false);
    expect(codeOf(() => openSecret(`v2:XYZ:${body}`, { key, aad }))).toBe("SECRET_UNREADABLE");
  });

  it("[SECRET_BOX][CONFIG_PREVIOUS]: SECRETS_ENCRYPTION_KEY_PREVIOUS is comma-separated 32-byte base64 keys, read-only", () => {
    const current = randomBytes(32).toString("base64");
    const p1 = randomBytes(32).toString("base64");
    const p2 = randomBytes(32).toString("base64");
    const keys = secretsEncryptionKeys(
      parseEnv({ SECRETS_ENCRYPTION_KEY: current, SECRETS_ENCRYPTION_KEY_PREVIOUS: ` ${p1}, ${p2},${current}` }),
    );
    expect(keys.key.toString("base64")).toBe(current);
    // The current key repeated among the previous ones is dropped.
    expect(keys.previousKeys.map((k) => k.toString("base64"))).toEqual([p1, p2]);
    expect(secretsEncryptionKeys(parseEnv({ SECRETS_ENCRYPTION_KEY: current })).previousKeys).toEqual([]);
    expect(() =>
      parseEnv({
        SECRETS_ENCRYPTION_KEY: current,
        SECRETS_ENCRYPTION_KEY_PREVIOUS: `${p1},${randomBytes(16).toString("base64")}`,
      }),
    ).toThrow(/SECRETS_ENCRYPTION_KEY_PREVIOUS/);
    // Development: previous keys beside the fixed dev key.
    const dev = secretsEncryptionKeys(parseEnv({ NODE_ENV: "test", SECRETS_ENCRYPTION_KEY_PREVIOUS: p1 }));
    expect(dev.key).toEqual(secretsEncryptionKey(parseEnv({ NODE_ENV: "test" })));
    expect(dev.previousKeys).toHaveLength(1);
  });
});
