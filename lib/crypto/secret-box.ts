/**
 * Secrets at rest that the platform must be able to read back (webhook signing secrets): AES-256-GCM
 * (NIST SP 800-38D) under a key from configuration (SECRETS_ENCRYPTION_KEY), with earlier keys
 * (SECRETS_ENCRYPTION_KEY_PREVIOUS) kept for reading only, so the key can be rotated.
 *
 * Envelopes:
 * - `v2:<kid>:` + base64url(iv ‖ ciphertext ‖ tag), written by {@link sealSecret}. `kid` is the
 *   first 8 hex digits of SHA-256 of the raw key ({@link secretKeyId}; an operator can compute it
 *   with `base64 -d | sha256sum`), naming the key without revealing anything useful about it. The
 *   header `v2:<kid>:` is part of the AAD, so a changed kid or a v2 body relabelled `v1:` does not
 *   open.
 * - `v1:` + base64url(iv ‖ ciphertext ‖ tag), from before rotation: no key id, so opening tries
 *   the current key, then each previous one. Still read; never written.
 *
 * Random 96-bit IV and the full 128-bit tag. The caller's AAD (e.g. the row id) is authenticated
 * but not stored, so a ciphertext copied into another row does not open there.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";
import type { TEnv } from "../env";
import { AppError } from "../errors/app-error";
import { sha256Hex } from "./sha256";

const V1 = "v1:";
const V2 = "v2:";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const V2_HEADER = /^v2:([0-9a-f]{8}):/;

export type SecretBoxOptions = {
  /** The current 32-byte AES-256 key: seals, and is tried first when opening. */
  key: Uint8Array;
  /** Earlier keys, only for opening envelopes sealed before a rotation. */
  previousKeys?: readonly Uint8Array[];
  /** Additional authenticated data binding the ciphertext to its place (e.g. the row id). */
  aad: string;
};

function checkKey(key: Uint8Array): void {
  if (key.length !== KEY_BYTES) {
    throw new AppError("INTERNAL", { message: `The secrets encryption key must be ${KEY_BYTES} bytes.` });
  }
}

/** The key id in a v2 envelope: the first 8 hex digits of SHA-256 of the raw 32-byte key. */
export function secretKeyId(key: Uint8Array): string {
  return sha256Hex(key).slice(0, 8);
}

const subkeys = new WeakMap<Uint8Array, Map<string, Buffer>>();

/**
 * A 32-byte key for one purpose, derived from a secrets key with HKDF-SHA256 (RFC 5869; empty
 * salt, `info` names the purpose), so the AES key of the webhook secrets is never used directly for
 * anything else (API secret digests, audit anchors). Cached per key object and purpose.
 */
export function deriveSecretsSubkey(key: Uint8Array, info: string): Buffer {
  const byInfo = subkeys.get(key) ?? new Map<string, Buffer>();
  subkeys.set(key, byInfo);
  const subkey = byInfo.get(info) ?? Buffer.from(hkdfSync("sha256", key, Buffer.alloc(0), info, 32));
  byInfo.set(info, subkey);
  return subkey;
}

/** True when `value` is a sealed envelope of a version this module knows (v1 or v2). */
export function isSealedSecret(value: string): boolean {
  return value.startsWith(V1) || V2_HEADER.test(value);
}

/** True when `envelope` was sealed under `key` in the current format (nothing to re-seal). */
export function isSealedUnderKey(envelope: string, key: Uint8Array): boolean {
  return envelope.startsWith(`${V2}${secretKeyId(key)}:`);
}

/** Encrypts `plaintext` into a `v2:<kid>:` envelope under the current key, bound to `aad`. */
export function sealSecret(plaintext: string, o: Pick<SecretBoxOptions, "key" | "aad">): string {
  checkKey(o.key);
  const header = `${V2}${secretKeyId(o.key)}:`;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", o.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(header + o.aad, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return header + Buffer.concat([iv, ciphertext, cipher.getAuthTag()]).toString("base64url");
}

function unreadable(why: string, cause?: unknown): AppError {
  return new AppError("SECRET_UNREADABLE", { message: `The stored secret could not be decrypted: ${why}.`, cause });
}

/** Opens iv ‖ ciphertext ‖ tag with one key; null when GCM refuses it. */
function tryOpen(raw: Buffer, key: Uint8Array, aad: string): string | null {
  const iv = raw.subarray(0, IV_BYTES);
  const tag = raw.subarray(raw.length - TAG_BYTES);
  const ciphertext = raw.subarray(IV_BYTES, raw.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(aad, "utf8"));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}

/**
 * Decrypts a v2 envelope with the key its kid names (current or previous), or a v1 envelope with
 * the current key, then each previous one. An unknown kid, a wrong key, another AAD, a tampered
 * byte, a truncated or unknown envelope all throw SECRET_UNREADABLE.
 */
export function openSecret(envelope: string, o: SecretBoxOptions): string {
  const keys = [o.key, ...(o.previousKeys ?? [])];
  for (const k of keys) checkKey(k);
  let header: string;
  let candidates: Uint8Array[];
  const v2 = V2_HEADER.exec(envelope);
  if (v2) {
    header = v2[0];
    // Every configured key with that id (a 32-bit id could collide; secretsEncryptionKeys refuses
    // a configuration where it does, this only keeps opening correct if one slipped through).
    candidates = keys.filter((k) => secretKeyId(k) === v2[1]);
    if (candidates.length === 0) throw unreadable(`unknown key id ${v2[1]} (not a configured key)`);
  } else if (envelope.startsWith(V1)) {
    header = V1;
    candidates = keys;
  } else {
    throw unreadable("unknown envelope version");
  }
  const raw = Buffer.from(envelope.slice(header.length), "base64url");
  if (raw.length < IV_BYTES + TAG_BYTES) throw unreadable("envelope too short");
  // v1 bound only the caller's AAD; v2 binds its header too.
  const aad = header === V1 ? o.aad : header + o.aad;
  for (const k of candidates) {
    const plaintext = tryOpen(raw, k, aad);
    if (plaintext !== null) return plaintext;
  }
  throw unreadable("wrong key, wrong binding or tampered ciphertext");
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

/**
 * The current key and the read-only previous keys (SECRETS_ENCRYPTION_KEY_PREVIOUS). A previous
 * key equal to the current one is dropped; two different keys with the same key id are refused
 * (the re-seal would take rows under the other one for current and leave them behind).
 */
export function secretsEncryptionKeys(
  config: Pick<TEnv, "NODE_ENV" | "SECRETS_ENCRYPTION_KEY" | "SECRETS_ENCRYPTION_KEY_PREVIOUS">,
): { key: Buffer; previousKeys: Buffer[] } {
  const key = secretsEncryptionKey(config);
  const previousKeys: Buffer[] = [];
  const seen = new Map<string, Buffer>([[secretKeyId(key), key]]);
  for (const b64 of config.SECRETS_ENCRYPTION_KEY_PREVIOUS) {
    const k = Buffer.from(b64, "base64");
    const kid = secretKeyId(k);
    const other = seen.get(kid);
    if (other?.equals(k)) continue;
    if (other) {
      throw new AppError("INTERNAL", {
        message: `Two configured secrets encryption keys share the key id ${kid}: generate another key.`,
      });
    }
    seen.set(kid, k);
    previousKeys.push(k);
  }
  return { key, previousKeys };
}
