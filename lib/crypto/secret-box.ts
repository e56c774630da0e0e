/**
 * Secrets at rest that the platform must be able to read back (webhook signing secrets): AES-256-GCM
 * (NIST SP 800-38D) under one key from configuration (SECRETS_ENCRYPTION_KEY).
 *
 * Envelope: `v1:` + base64url(iv ‖ ciphertext ‖ tag), with a random 96-bit IV and the full 128-bit
 * tag. The caller's AAD (e.g. the row id) is authenticated but not stored, so a ciphertext copied
 * into another row does not open there. The version prefix leaves room for another algorithm or a
 * key id later without guessing.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import type { TEnv } from "../env";
import { AppError } from "../errors/app-error";

const VERSION = "v1:";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

export type SecretBoxOptions = {
  /** 32-byte AES-256 key. */
  key: Uint8Array;
  /** Additional authenticated data binding the ciphertext to its place (e.g. the row id). */
  aad: string;
};

function checkKey(key: Uint8Array): void {
  if (key.length !== KEY_BYTES) {
    throw new AppError("INTERNAL", { message: `The secrets encryption key must be ${KEY_BYTES} bytes.` });
  }
}

/** True when `value` is a sealed envelope of a version this module knows. */
export function isSealedSecret(value: string): boolean {
  return value.startsWith(VERSION);
}

/** Encrypts `plaintext` into a `v1:` envelope bound to `aad`. */
export function sealSecret(plaintext: string, o: SecretBoxOptions): string {
  checkKey(o.key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", o.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(o.aad, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return VERSION + Buffer.concat([iv, ciphertext, cipher.getAuthTag()]).toString("base64url");
}

/**
 * Decrypts a `v1:` envelope. A wrong key, another AAD, a tampered byte, a truncated or unknown
 * envelope all throw SECRET_UNREADABLE (GCM does not tell them apart, and neither do we).
 */
export function openSecret(envelope: string, o: SecretBoxOptions): string {
  checkKey(o.key);
  const unreadable = (why: string, cause?: unknown) =>
    new AppError("SECRET_UNREADABLE", { message: `The stored secret could not be decrypted: ${why}.`, cause });
  if (!isSealedSecret(envelope)) throw unreadable("unknown envelope version");
  const raw = Buffer.from(envelope.slice(VERSION.length), "base64url");
  if (raw.length < IV_BYTES + TAG_BYTES) throw unreadable("envelope too short");
  const iv = raw.subarray(0, IV_BYTES);
  const tag = raw.subarray(raw.length - TAG_BYTES);
  const ciphertext = raw.subarray(IV_BYTES, raw.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv("aes-256-gcm", o.key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(o.aad, "utf8"));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8");
  } catch (e) {
    throw unreadable("wrong key, wrong binding or tampered ciphertext", e);
  }
}

// Fixed development key: used only when NODE_ENV is not production and none is configured, so
// `npm run dev`, `npm test` and e2e (which share one database across processes) need no setup.
// Production refuses to start the platform without SECRETS_ENCRYPTION_KEY.
const DEV_KEY = createHash("sha256").update("ichimai-dev-only-secrets-encryption-key-not-for-production").digest();

/** The secrets encryption key from configuration (SECRETS_ENCRYPTION_KEY, base64 of 32 bytes). */
export function secretsEncryptionKey(config: Pick<TEnv, "NODE_ENV" | "SECRETS_ENCRYPTION_KEY">): Buffer {
  if (config.SECRETS_ENCRYPTION_KEY) return Buffer.from(config.SECRETS_ENCRYPTION_KEY, "base64");
  if (config.NODE_ENV === "production") {
    throw new AppError("INTERNAL", {
      message: "SECRETS_ENCRYPTION_KEY must be set in production (openssl rand -base64 32).",
    });
  }
  return DEV_KEY;
}
