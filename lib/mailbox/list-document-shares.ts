import type { PrismaClient } from "@/lib/db/client";

export type ListDocumentSharesOptions = { residentId: string; documentId: string; now?: Date };

export type TDocumentShareItem = {
  shareId: string;
  /** Receiving partner, or null for a one-time link. */
  partner: { id: string; name: string; nameEn: string } | null;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
  revokedAt: string | null;
  status: "open" | "used" | "revoked" | "expired";
};

export type TDocumentSharing = {
  shares: TDocumentShareItem[];
  /** Partners the resident linked (active), the ones a document can be shared with. */
  linkedPartners: { id: string; name: string; nameEn: string }[];
};

/**
 * The shares of one of the resident's own documents and the partners it could be shared with.
 * An empty result for someone else's document (the document page already answered NOT_FOUND,
 * and its read was audited there).
 */
export async function listDocumentShares(
  prisma: PrismaClient,
  options: ListDocumentSharesOptions,
): Promise<TDocumentSharing> {
  const now = options.now ?? new Date();
  const [rows, links] = await Promise.all([
    prisma.documentShare.findMany({
      where: { documentId: options.documentId, residentId: options.residentId },
      orderBy: { createdAt: "desc" },
      select: {
        id: true,
        createdAt: true,
        expiresAt: true,
        usedAt: true,
        revokedAt: true,
        tokenHash: true,
        partner: { select: { id: true, name: true, nameEn: true } },
      },
    }),
    prisma.partnerResidentLink.findMany({
      where: { residentId: options.residentId, revokedAt: null, partner: { active: true } },
      select: { partner: { select: { id: true, name: true, nameEn: true } } },
      orderBy: { linkedAt: "asc" },
    }),
  ]);
  return {
    shares: rows.map((r) => ({
      shareId: r.id,
      partner: r.partner,
      createdAt: r.createdAt.toISOString(),
      expiresAt: r.expiresAt.toISOString(),
      usedAt: r.usedAt?.toISOString() ?? null,
      revokedAt: r.revokedAt?.toISOString() ?? null,
      status: r.revokedAt ? "revoked" : r.expiresAt <= now ? "expired" : r.tokenHash && r.usedAt ? "used" : "open",
    })),
    linkedPartners: links.map((l) => l.partner),
  };
}
