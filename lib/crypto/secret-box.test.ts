import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseEnv } from "../env";
import { AppError } from "../errors/app-error";
import { isSealedSecret, openSecret, sealSecret, secretsEncryptionKey } from "./secret-box";

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
  it("[SECRET_BOX][ROUND_TRIP]: seals into a v1 envelope that hides the secret and opens back", () => {
    const sealed = sealSecret(secret, { key, aad });
    expect(sealed).toMatch(/^v1:[A-Za-z0-9_-]+$/);
    expect(isSealedSecret(sealed)).toBe(true);
    expect(sealed).not.toContain(secret.slice(6, 20));
    // 12-byte IV + ciphertext + 16-byte tag.
    expect(Buffer.from(sealed.slice(3), "base64url")).toHaveLength(12 + Buffer.byteLength(secret) + 16);
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
    const raw = Buffer.from(sealed.slice(3), "base64url");
    for (const at of [0, 20, raw.length - 1]) {
      const t = Buffer.from(raw);
      t[at] = t[at]! ^ 1;
      expect(
        codeOf(() => openSecret(`v1:${t.toString("base64url")}`, { key, aad })),
        `byte ${at}`,
      ).toBe("SECRET_UNREADABLE");
    }
    expect(codeOf(() => openSecret(`v1:${raw.subarray(0, 20).toString("base64url")}`, { key, aad }))).toBe(
      "SECRET_UNREADABLE",
    );
    expect(codeOf(() => openSecret("v2:AAAA", { key, aad }))).toBe("SECRET_UNREADABLE");
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
});
