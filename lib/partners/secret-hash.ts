import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from "node:crypto";

/**
 * scrypt (RFC 7914) hashes, stored as `scrypt$N$r$p$salt$hash` with base64url salt and hash, with
 * two cost profiles:
 *
 * - {@link API_SECRET_SCRYPT} (N=2^14, r=8: 16 MiB, ~35 ms here): how partner API client secrets
 *   were stored before lib/partners/api-secret-digest.ts (HMAC-SHA256). Such rows are still
 *   verified there and replaced on their next successful use; nothing new is written at this cost.
 * - {@link PASSWORD_SCRYPT} (N=2^17, r=8, p=1: 128 MiB, ~340 ms here; the OWASP Password Storage
 *   Cheat Sheet's scrypt setting) for partner console passwords, which people choose and which a
 *   stolen table would let an attacker guess offline. Hashes below it are upgraded on the next
 *   successful login ({@link needsRehash}, lib/partners/partner-user-login.ts).
 */
export type TScryptParams = { N: number; r: number; p: number };

export const API_SECRET_SCRYPT: TScryptParams = { N: 1 << 14, r: 8, p: 1 };
export const PASSWORD_SCRYPT: TScryptParams = { N: 1 << 17, r: 8, p: 1 };

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
// Bounds on stored parameters: a corrupted or hostile row must not make verification allocate
// gigabytes or spin for minutes.
const MAX_N = 1 << 20;
const MAX_R = 32;
const MAX_P = 16;
const MAX_MEMORY = 256 * 1024 * 1024;

function scryptAsync(secret: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

// scrypt needs 128·N·r bytes (plus 128·r·p); Node refuses anything above `maxmem`, 32 MiB by
// default, which N=2^17, r=8 (128 MiB) exceeds. Allow what the parameters need plus slack.
function scryptOptions({ N, r, p }: TScryptParams): ScryptOptions {
  return { N, r, p, maxmem: 128 * N * r * p + 1024 * 1024 };
}

/** Hash a secret with a fresh random salt (legacy API secret cost by default; see {@link hashPassword}). */
export async function hashSecret(
  secret: string,
  params: TScryptParams = API_SECRET_SCRYPT,
  salt: Buffer = randomBytes(SALT_LENGTH),
): Promise<string> {
  const { N, r, p } = params;
  const key = await scryptAsync(secret, salt, KEY_LENGTH, scryptOptions(params));
  return `scrypt$${N}$${r}$${p}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

/** Hash a console password at {@link PASSWORD_SCRYPT} cost. */
export function hashPassword(password: string): Promise<string> {
  return hashSecret(password, PASSWORD_SCRYPT);
}

/** The parameters of a stored hash, or null when it is malformed or outside the allowed bounds. */
export function scryptParamsOf(stored: string): TScryptParams | null {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return null;
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const valid =
    Number.isInteger(N) &&
    N > 1 &&
    N <= MAX_N &&
    (N & (N - 1)) === 0 &&
    Number.isInteger(r) &&
    r >= 1 &&
    r <= MAX_R &&
    Number.isInteger(p) &&
    p >= 1 &&
    p <= MAX_P &&
    128 * N * r <= MAX_MEMORY;
  return valid ? { N, r, p } : null;
}

/**
 * True when `stored` is cheaper than `target` in memory (128·N·r) or in work (N·r·p), or is not a
 * valid hash. A stronger stored hash is never downgraded.
 */
export function needsRehash(stored: string, target: TScryptParams): boolean {
  const s = scryptParamsOf(stored);
  if (!s) return true;
  return s.N * s.r < target.N * target.r || s.N * s.r * s.p < target.N * target.r * target.p;
}

/**
 * Check a secret against a stored hash in constant time (crypto.timingSafeEqual).
 * Returns false, never throws, for a malformed stored value.
 */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const params = scryptParamsOf(stored);
  if (!params) return false;
  const parts = stored.split("$");
  const salt = Buffer.from(parts[4]!, "base64url");
  const expected = Buffer.from(parts[5]!, "base64url");
  if (salt.length < 8 || expected.length < 16) return false;
  const actual = await scryptAsync(secret, salt, expected.length, scryptOptions(params));
  return timingSafeEqual(actual, expected);
}
