import type { PrismaClient } from "../db/client";
import { partnerCredentialDtoSelect, type TPartnerCredentialDto } from "./create-partner-credential";

export type TPartnerCredentialStatus = "active" | "rotating" | "expired" | "revoked";

export type TPartnerCredentialListItem = TPartnerCredentialDto & {
  lastUsedAt: Date | null;
  replacedById: string | null;
  status: TPartnerCredentialStatus;
};

/** What a credential is now: revoked, expired, within a rotation's grace period, or active. */
export function credentialStatus(
  c: { revokedAt: Date | null; expiresAt: Date | null; replacedById: string | null },
  now: Date,
): TPartnerCredentialStatus {
  if (c.revokedAt) return "revoked";
  if (c.expiresAt && c.expiresAt <= now) return "expired";
  if (c.replacedById) return "rotating";
  return "active";
}

/** The partner's credentials for its console, newest first (never a secret or its hash). */
export async function listPartnerCredentials(
  prisma: PrismaClient,
  options: { partnerId: string; now?: Date },
): Promise<TPartnerCredentialListItem[]> {
  const now = options.now ?? new Date();
  const rows = await prisma.partnerCredential.findMany({
    where: { partnerId: options.partnerId },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    select: { ...partnerCredentialDtoSelect, lastUsedAt: true, replacedById: true },
  });
  return rows.map((r) => ({ ...r, status: credentialStatus(r, now) }));
}
