import { z } from "zod";
import type { PrismaClient } from "../db/client";
import { AppError } from "../errors/app-error";
import type { TCredentialMode } from "./create-partner-credential";
import { type TApiSecretKeys, verifyApiSecret } from "./api-secret-digest";
import { type TApiScope, ZApiScope } from "./scopes";

export type VerifyPartnerCredentialOptions = {
  clientId: string;
  clientSecret: string;
  /** When given, a credential without this scope is refused with FORBIDDEN. */
  requiredScope?: TApiScope;
  now?: Date;
  /** The keys of the stored secret digests; default SECRETS_ENCRYPTION_KEY(_PREVIOUS) (lib/env.ts). */
  secretKeys?: TApiSecretKeys;
};

export type TVerifiedPartnerCredential = {
  credentialId: string;
  clientId: string;
  partnerId: string;
  partnerSlug: string;
  mode: TCredentialMode;
  /** The credential's scopes that are still approved for the partner. */
  scopes: TApiScope[];
  /** Requests per minute. */
  rateLimit: number;
};

const ZClientId = z.string().regex(/^ich_(test|live)_[0-9a-z]{8,64}$/);
// lastUsedAt is a hint for the console, not an audit record: write it at most once a minute.
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Authenticate a partner API request by client id and secret (HTTP Basic or form fields).
 *
 * Unknown client ids and wrong secrets give the same PARTNER_CREDENTIAL_INVALID; only a caller who
 * holds the right secret learns that a credential is revoked, expired, or its partner inactive.
 * Scopes are intersected with the partner's current approval, so withdrawing an approval takes
 * effect on existing credentials at once.
 *
 * The secret is checked against its HMAC-SHA256 digest (lib/partners/api-secret-digest.ts). A
 * stored legacy scrypt hash or a digest under a previous SECRETS_ENCRYPTION_KEY is replaced by the
 * current-key digest on the first successful use, in the write that records lastUsedAt.
 */
export async function verifyPartnerCredential(
  prisma: PrismaClient,
  options: VerifyPartnerCredentialOptions,
): Promise<TVerifiedPartnerCredential> {
  const now = options.now ?? new Date();
  const row = ZClientId.safeParse(options.clientId).success
    ? await prisma.partnerCredential.findUnique({
        where: { clientId: options.clientId },
        select: {
          id: true,
          clientId: true,
          secretHash: true,
          scopes: true,
          mode: true,
          rateLimit: true,
          expiresAt: true,
          revokedAt: true,
          lastUsedAt: true,
          partner: { select: { id: true, slug: true, active: true, approvedScopes: true } },
        },
      })
    : null;
  // No dummy work for an unknown id. Checking a digest is one HMAC-SHA256 (a few microseconds),
  // so what the time to answer depends on is the database: both paths look the id up by the
  // unique clientId, and a known id also reads its partner (Prisma's nested select is a second
  // query; one joined $queryRaw would equalise them but measured ~1.5× slower at 8 in flight). That
  // difference, a fraction of a millisecond, tells at most that an id exists: ids are 96 random
  // bits, never listed, so none can be found by trying, and they give nothing towards the secret,
  // which is compared in constant time. (A row still holding a legacy scrypt hash costs ~35 ms per
  // wrong secret until its first successful use re-digests it.)
  if (!row) throw new AppError("PARTNER_CREDENTIAL_INVALID");
  const check = await verifyApiSecret(options.clientSecret, row.secretHash, options.secretKeys);
  if (!check.ok) throw new AppError("PARTNER_CREDENTIAL_INVALID");
  if (row.revokedAt && row.revokedAt <= now) throw new AppError("PARTNER_CREDENTIAL_REVOKED");
  if (row.expiresAt && row.expiresAt <= now) throw new AppError("PARTNER_CREDENTIAL_EXPIRED");
  if (!row.partner.active) throw new AppError("PARTNER_INACTIVE");

  const scopes = row.scopes.filter(
    (s): s is TApiScope => ZApiScope.safeParse(s).success && row.partner.approvedScopes.includes(s),
  );
  if (options.requiredScope && !scopes.includes(options.requiredScope)) {
    throw new AppError("FORBIDDEN", {
      message: `This credential lacks the scope ${options.requiredScope}.`,
      details: { requiredScope: options.requiredScope },
    });
  }
  const touch = !row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS;
  if (check.upgradeTo) {
    // Compare-and-set on the value that was checked: of concurrent first uses one writes, the
    // others match no row (the digest is deterministic, so they would have written the same
    // value), and a row changed meanwhile is never overwritten with a stale upgrade.
    await prisma.partnerCredential.updateMany({
      where: { id: row.id, secretHash: row.secretHash },
      data: { secretHash: check.upgradeTo, ...(touch ? { lastUsedAt: now } : {}) },
    });
  } else if (touch) {
    await prisma.partnerCredential.updateMany({
      where: {
        id: row.id,
        OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - LAST_USED_RESOLUTION_MS) } }],
      },
      data: { lastUsedAt: now },
    });
  }
  return {
    credentialId: row.id,
    clientId: row.clientId,
    partnerId: row.partner.id,
    partnerSlug: row.partner.slug,
    mode: row.mode,
    scopes,
    rateLimit: row.rateLimit,
  };
}
