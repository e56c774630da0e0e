/**
 * The resident's consents to release claims to relying parties, one row per client and claim
 * (OidcConsent). They are listed in the consent ledger (/settings/consents) and withdrawn there;
 * withdrawing also revokes the provider's grants and the tokens issued under them, so the next
 * login at that RP asks again.
 */
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { TAuditChannel, TRequestMetadata } from "@/lib/audit/schemas";
import type { Prisma, PrismaClient } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { isOidcClaim, OIDC_CLAIMS, type TOidcClaim } from "./claims";

type TDb = PrismaClient | Prisma.TransactionClient;

/** The claims the resident currently consents to release to the client. */
export async function standingConsents(db: TDb, o: { residentId: string; clientId: string }): Promise<TOidcClaim[]> {
  const rows = await db.oidcConsent.findMany({
    where: { residentId: o.residentId, clientId: o.clientId, withdrawnAt: null },
    select: { claim: true },
  });
  const set = new Set(rows.map((r) => r.claim));
  return OIDC_CLAIMS.filter((c) => set.has(c));
}

/** Records consent to the given claims (idempotent per claim) and audits the decision. */
export async function recordConsent(
  tx: Prisma.TransactionClient,
  o: {
    residentId: string;
    clientId: string;
    approved: readonly TOidcClaim[];
    declined: readonly TOidcClaim[];
    channel: TAuditChannel;
    requestMetadata?: TRequestMetadata;
  },
): Promise<void> {
  const standing = new Set(await standingConsents(tx, o));
  const fresh = o.approved.filter((c) => !standing.has(c));
  if (fresh.length > 0) {
    await tx.oidcConsent.createMany({
      data: fresh.map((claim) => ({ residentId: o.residentId, clientId: o.clientId, claim })),
    });
  }
  await appendAuditEvent(tx, {
    type: "oidc.consent_granted",
    actor: { type: "resident", id: o.residentId },
    subjectResidentId: o.residentId,
    purpose: "シングルサインオンの情報提供への同意",
    channel: o.channel,
    requestMetadata: o.requestMetadata,
    data: { clientId: o.clientId, approved: [...o.approved], declined: [...o.declined] },
  });
}

export type TOidcConsentDto = {
  client: { id: string; name: string; nameEn: string };
  claims: TOidcClaim[];
  grantedAt: string;
};

/** The resident's standing SSO consents, one entry per client (for the consent ledger). */
export async function listOidcConsents(prisma: PrismaClient, residentId: string): Promise<TOidcConsentDto[]> {
  const rows = await prisma.oidcConsent.findMany({
    where: { residentId, withdrawnAt: null },
    include: { client: { select: { id: true, name: true, nameEn: true } } },
    orderBy: { grantedAt: "asc" },
  });
  const byClient = new Map<string, TOidcConsentDto>();
  for (const r of rows) {
    if (!isOidcClaim(r.claim)) continue;
    const entry = byClient.get(r.clientId) ?? { client: r.client, claims: [], grantedAt: r.grantedAt.toISOString() };
    entry.claims.push(r.claim);
    byClient.set(r.clientId, entry);
  }
  for (const e of byClient.values()) e.claims = OIDC_CLAIMS.filter((c) => e.claims.includes(c));
  return [...byClient.values()];
}

/**
 * Withdraws every standing consent of the resident for the client, deletes the provider's grants
 * for them and the tokens issued under those grants, in one transaction.
 */
export async function withdrawOidcConsent(
  prisma: PrismaClient,
  o: { residentId: string; clientId: string; channel: TAuditChannel; requestMetadata?: TRequestMetadata },
): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const { count } = await tx.oidcConsent.updateMany({
      where: { residentId: o.residentId, clientId: o.clientId, withdrawnAt: null },
      data: { withdrawnAt: new Date() },
    });
    if (count === 0) throw new AppError("OIDC_CONSENT_NOT_FOUND");
    const grants = await tx.oidcPayload.findMany({
      where: {
        type: "Grant",
        AND: [
          { payload: { path: ["accountId"], equals: o.residentId } },
          { payload: { path: ["clientId"], equals: o.clientId } },
        ],
      },
      select: { id: true },
    });
    const ids = grants.map((g) => g.id);
    if (ids.length > 0) {
      await tx.oidcPayload.deleteMany({ where: { grantId: { in: ids } } });
      await tx.oidcPayload.deleteMany({ where: { type: "Grant", id: { in: ids } } });
    }
    await appendAuditEvent(tx, {
      type: "oidc.consent_withdrawn",
      actor: { type: "resident", id: o.residentId },
      subjectResidentId: o.residentId,
      purpose: "シングルサインオンの同意の撤回",
      channel: o.channel,
      requestMetadata: o.requestMetadata,
      data: { clientId: o.clientId, revokedGrants: ids.length },
    });
  });
}
