import type { TCredentialMode } from "@/lib/credential-mode/credential-mode";
import type { PrismaClient } from "@/lib/db/client";
import { findDocumentType } from "./document-types/registry";

export type ListPartnerSharesOptions = {
  partnerId: string;
  now?: Date;
  limit?: number;
  /** The listing credential's mode: only shares of residents on its side. */
  credentialMode?: TCredentialMode;
};

export type TPartnerShareItem = {
  shareId: string;
  documentType: string;
  documentTitle: { ja: string; en: string };
  issuer: string;
  sharedAt: string;
  expiresAt: string;
  fetchedAt: string | null;
};

/**
 * Open shares to a partner (not revoked, not expired), newest first: what it may fetch. Only
 * the type and issuer are listed (no payload and no resident identity), so listing is not a read
 * of personal data; fetching one is, and is audited there.
 */
export async function listPartnerShares(
  prisma: PrismaClient,
  options: ListPartnerSharesOptions,
): Promise<TPartnerShareItem[]> {
  const now = options.now ?? new Date();
  const rows = await prisma.documentShare.findMany({
    where: {
      partnerId: options.partnerId,
      revokedAt: null,
      expiresAt: { gt: now },
      // A credential lists the shares of residents on its side only (TEST: the sandbox).
      ...(options.credentialMode ? { resident: { sandbox: options.credentialMode === "TEST" } } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.min(Math.max(options.limit ?? 100, 1), 500),
    select: {
      id: true,
      createdAt: true,
      expiresAt: true,
      usedAt: true,
      document: { select: { type: true, issuerPartner: { select: { name: true } } } },
    },
  });
  return rows.map((r) => ({
    shareId: r.id,
    documentType: r.document.type,
    documentTitle: findDocumentType(r.document.type)?.title ?? { ja: r.document.type, en: r.document.type },
    issuer: r.document.issuerPartner.name,
    sharedAt: r.createdAt.toISOString(),
    expiresAt: r.expiresAt.toISOString(),
    fetchedAt: r.usedAt?.toISOString() ?? null,
  }));
}
