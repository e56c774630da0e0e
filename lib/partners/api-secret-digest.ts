/**
 * Partner API client secrets at rest: a keyed digest, `hmac-sha256$<kid>$<base64url tag>`.
 *
 * The tag is HMAC-SHA256 (RFC 2104) of the secret under a key derived with HKDF-SHA256 (RFC 5869)
 * from SECRETS_ENCRYPTION_KEY (lib/crypto/secret-box.ts); `kid` is that key's id
 * ({@link secretKeyId}, the same id the `v2:` webhook secret envelopes carry), so one id names
 * the key in both tables.
 *
 * Why not a slow KDF: a client secret is 256 random bits (create-partner-credential.ts), so there
 * is nothing to guess and a work factor only costs CPU on every /api/v1 request (scrypt N=2^14
 * was ~35 ms, capping a core at a few dozen requests/s and letting any caller burn that much per
 * request). GitHub tokens and Stripe keys are stored the same way. Why keyed rather than plain
 * SHA-256: a stolen table alone then cannot even confirm a secret found elsewhere (a log, a
 * leaked config) without the key, which is not in the database.
 *
 * Rotation: a tag under a key in SECRETS_ENCRYPTION_KEY_PREVIOUS still verifies (the kid picks
 * the key), and {@link verifyApiSecret} returns the tag under the current key for the caller to
 * store compare-and-set; so does a legacy `scrypt$` hash from before this format (verified with
 * lib/partners/secret-hash.ts). The secret is never stored, so a row is only re-digested when its
 * secret is presented: a credential unused through a key rotation keeps the old kid, and stops
 * working once that key is removed (lib/platform/README.md, "Rotating SECRETS_ENCRYPTION_KEY").
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { deriveSecretsSubkey, secretKeyId, secretsEncryptionKeys } from "../crypto/secret-box";
import type { TEnv } from "../env";
import { getRuntime } from "../runtime/runtime";
import { verifySecret as verifyScrypt } from "./secret-hash";

/** The secrets keys a digest is made or checked with: the current one and read-only earlier ones. */
export type TApiSecretKeys = { key: Uint8Array; previousKeys: readonly Uint8Array[] };

/** What {@link verifyApiSecret} found. */
export type TApiSecretCheck =
  | { ok: false }
  | {
      ok: true;
      /**
       * The digest under the current key to store in place of the checked value (a legacy scrypt
       * hash or a digest under a previous key), or null when the stored value is already current.
       */
      upgradeTo: string | null;
    };

const SCHEME = "hmac-sha256";
const TAG_BYTES = 32;
const STORED = /^hmac-sha256\$([0-9a-f]{8})\$([A-Za-z0-9_-]{43})$/;
// Domain separation: the raw key is the AES-256-GCM key of the webhook secrets; the HMAC key is
// derived from it for this one purpose, so neither use can be turned against the other.
const HKDF_INFO = "ichimai partner API client secret digest v1";

type TDigestKey = { kid: string; hmacKey: Buffer };

const derived = new WeakMap<Uint8Array, TDigestKey>();

function digestKeyOf(master: Uint8Array): TDigestKey {
  let k = derived.get(master);
  if (!k) {
    k = { kid: secretKeyId(master), hmacKey: deriveSecretsSubkey(master, HKDF_INFO) };
    derived.set(master, k);
  }
  return k;
}

function tag(secret: string, k: TDigestKey): Buffer {
  return createHmac("sha256", k.hmacKey).update(secret, "utf8").digest();
}

/**
 * The keys from configuration (SECRETS_ENCRYPTION_KEY and SECRETS_ENCRYPTION_KEY_PREVIOUS, loaded
 * by lib/crypto/secret-box.ts: a fixed development key outside production, an error in production
 * without one): the process's, kept by the runtime (lib/runtime) so the derived HMAC keys are
 * computed once, or those of an explicit `config`.
 */
export function apiSecretKeys(config?: TEnv): TApiSecretKeys {
  return config ? secretsEncryptionKeys(config) : getRuntime().secretsKeys();
}

/** The value to store for a new API client secret: its digest under the current key. */
export function digestApiSecret(secret: string, keys: TApiSecretKeys = apiSecretKeys()): string {
  const k = digestKeyOf(keys.key);
  return `${SCHEME}$${k.kid}$${tag(secret, k).toString("base64url")}`;
}

/** The prefix of every digest under the current key (to find rows that still need re-digesting). */
export function currentApiSecretDigestPrefix(keys: TApiSecretKeys = apiSecretKeys()): string {
  return `${SCHEME}$${digestKeyOf(keys.key).kid}$`;
}

/**
 * Check a presented secret against a stored value: a digest under the key its kid names (current
 * or previous), or a legacy `scrypt$` hash. Tags are compared with crypto.timingSafeEqual on two
 * 32-byte buffers. Returns `{ ok: false }`, never throws, for a wrong secret, an unknown kid or a
 * malformed stored value. On success `upgradeTo` is the current-key digest to store when the
 * stored value is not one.
 */
export async function verifyApiSecret(
  secret: string,
  stored: string,
  keys: TApiSecretKeys = apiSecretKeys(),
): Promise<TApiSecretCheck> {
  const current = digestKeyOf(keys.key);
  const m = STORED.exec(stored);
  if (m) {
    const expected = Buffer.from(m[2]!, "base64url");
    if (expected.length !== TAG_BYTES) return { ok: false };
    // Every configured key with that id: a 32-bit id could collide (secretsEncryptionKeys refuses
    // such a configuration; this only keeps verification right if one slipped through).
    for (const k of [keys.key, ...keys.previousKeys].map(digestKeyOf).filter((d) => d.kid === m[1])) {
      if (timingSafeEqual(tag(secret, k), expected)) {
        return { ok: true, upgradeTo: k === current ? null : digestApiSecret(secret, keys) };
      }
    }
    return { ok: false };
  }
  if (stored.startsWith("scrypt$") && (await verifyScrypt(secret, stored))) {
    return { ok: true, upgradeTo: digestApiSecret(secret, keys) };
  }
  return { ok: false };
}
