import type { PrismaClient } from "../db/client";
import { currentApiSecretDigestPrefix, type TApiSecretKeys } from "./api-secret-digest";

export type CountStaleApiSecretDigestsOptions = {
  /** Default SECRETS_ENCRYPTION_KEY(_PREVIOUS) (lib/env.ts). */
  keys?: TApiSecretKeys;
  now?: Date;
};

export type TStaleApiSecretDigests = {
  /** Usable credentials whose secret is still a legacy `scrypt$` hash. */
  legacyScrypt: number;
  /** Usable credentials whose digest is under another key than the current one. */
  otherKey: number;
};

/**
 * Usable (not revoked, not expired) API credentials whose stored secret is not a digest under the
 * current key. The secret is never stored, so these can only be re-digested by their next
 * successful use (verify-partner-credential.ts); a digest under a key that is then removed from
 * SECRETS_ENCRYPTION_KEY_PREVIOUS no longer verifies. For the key-rotation check
 * (`npm run jobs -- reseal-secrets`, lib/platform/README.md).
 */
export async function countStaleApiSecretDigests(
  prisma: PrismaClient,
  options: CountStaleApiSecretDigestsOptions = {},
): Promise<TStaleApiSecretDigests> {
  const now = options.now ?? new Date();
  const usable = { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] };
  const [legacyScrypt, otherKey] = await Promise.all([
    prisma.partnerCredential.count({ where: { ...usable, secretHash: { startsWith: "scrypt$" } } }),
    prisma.partnerCredential.count({
      where: {
        ...usable,
        secretHash: { startsWith: "hmac-sha256$" },
        NOT: { secretHash: { startsWith: currentApiSecretDigestPrefix(options.keys) } },
      },
    }),
  ]);
  return { legacyScrypt, otherKey };
}
