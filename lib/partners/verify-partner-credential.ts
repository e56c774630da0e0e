import { z } from "zod";
import type { PrismaClient } from "../db/client";
import { AppError } from "../errors/app-error";
import type { TCredentialMode } from "./create-partner-credential";
import { type TApiScope, ZApiScope } from "./scopes";
import { hashSecret, verifySecret } from "./secret-hash";

export type VerifyPartnerCredentialOptions = {
  clientId: string;
  clientSecret: string;
  /** When given, a credential without this scope is refused with FORBIDDEN. */
  requiredScope?: TApiScope;
  now?: Date;
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

let dummyHash: Promise<string> | undefined;

/**
 * Authenticate a partner API request by client id and secret (HTTP Basic or form fields).
 *
 * Unknown client ids and wrong secrets give the same PARTNER_CREDENTIAL_INVALID after the same
 * scrypt work, so neither the answer nor its timing tells which ids exist; only a caller who
 * holds the right secret learns that a credential is revoked, expired, or its partner inactive.
 * Scopes are intersected with the partner's current approval, so withdrawing an approval takes
 * effect on existing credentials at once.
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
  if (!row) {
    dummyHash ??= hashSecret("ichimai-dummy-secret");
    await verifySecret(options.clientSecret, await dummyHash);
    throw new AppError("PARTNER_CREDENTIAL_INVALID");
  }
  if (!(await verifySecret(options.clientSecret, row.secretHash))) throw new AppError("PARTNER_CREDENTIAL_INVALID");
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
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
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
