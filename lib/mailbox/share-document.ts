import { randomBytes } from "node:crypto";
import { sha256Hex } from "@/lib/crypto/sha256";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { TAuditChannel, TRequestMetadata } from "@/lib/audit/schemas";
import type { PrismaClient } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";

/** Longest a share may stay open. */
export const MAX_SHARE_DAYS = 90;
const DEFAULT_PARTNER_SHARE_DAYS = 30;
const DEFAULT_LINK_SHARE_DAYS = 7;
const DAY_MS = 86_400_000;

export type ShareDocumentOptions = {
  residentId: string;
  documentId: string;
  /** A linked partner, or a one-time link anyone holding it may redeem once. */
  target: { partnerId: string } | { link: true };
  /** Default 30 days for a partner, 7 for a link; at most 90. */
  expiresInDays?: number;
  channel: TAuditChannel;
  requestMetadata?: TRequestMetadata;
  now?: Date;
};

export type TShareResult = {
  shareId: string;
  expiresAt: string;
  /** One-time links only: the secret part of the link, shown once and stored only as a hash. */
  token?: string;
};

/** SHA-256 hex of a link token: what the database keeps, so a leaked table opens no link. */
export function hashShareToken(token: string): string {
  return sha256Hex(token);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Shares one of the resident's own documents. A partner share needs the resident's active link
 * with that partner (SHARE_PARTNER_NOT_LINKED otherwise); a one-time link carries 256 random
 * bits. The receiver gets the original signed data (lib/mailbox/signed-bundle.ts), so the
 * issuer's signature still verifies. Audited as `document.shared`; NOT_FOUND for anyone else's
 * document.
 */
export async function shareDocument(prisma: PrismaClient, options: ShareDocumentOptions): Promise<TShareResult> {
  if (!UUID.test(options.documentId)) throw new AppError("NOT_FOUND");
  const now = options.now ?? new Date();
  const isLink = "link" in options.target;
  const days = options.expiresInDays ?? (isLink ? DEFAULT_LINK_SHARE_DAYS : DEFAULT_PARTNER_SHARE_DAYS);
  if (!Number.isInteger(days) || days < 1 || days > MAX_SHARE_DAYS) {
    throw new AppError("VALIDATION_FAILED", {
      details: [{ path: "expiresInDays", message: `1–${MAX_SHARE_DAYS} days` }],
    });
  }
  const expiresAt = new Date(now.getTime() + days * DAY_MS);
  return prisma.$transaction(async (tx) => {
    const doc = await tx.mailboxDocument.findFirst({
      where: { id: options.documentId, residentId: options.residentId },
      select: { id: true, type: true },
    });
    if (!doc) throw new AppError("NOT_FOUND");
    let partnerId: string | null = null;
    if ("partnerId" in options.target) {
      const link = UUID.test(options.target.partnerId)
        ? await tx.partnerResidentLink.findUnique({
            where: { partnerId_residentId: { partnerId: options.target.partnerId, residentId: options.residentId } },
            select: { revokedAt: true, partner: { select: { active: true } } },
          })
        : null;
      if (!link || link.revokedAt || !link.partner.active) throw new AppError("SHARE_PARTNER_NOT_LINKED");
      partnerId = options.target.partnerId;
    }
    const token = isLink ? randomBytes(32).toString("base64url") : undefined;
    const share = await tx.documentShare.create({
      data: {
        documentId: doc.id,
        residentId: options.residentId,
        partnerId,
        tokenHash: token ? hashShareToken(token) : null,
        expiresAt,
        createdAt: now,
      },
      select: { id: true },
    });
    await appendAuditEvent(tx, {
      type: "document.shared",
      actor: { type: "resident", id: options.residentId },
      subjectResidentId: options.residentId,
      purpose: isLink ? "書類の共有（使い捨てリンク）" : "書類の共有（連携先）",
      channel: options.channel,
      requestMetadata: options.requestMetadata,
      data: {
        documentId: doc.id,
        type: doc.type,
        shareId: share.id,
        ...(partnerId ? { partnerId } : { link: true }),
        expiresAt: expiresAt.toISOString(),
      },
    });
    return { shareId: share.id, expiresAt: expiresAt.toISOString(), ...(token ? { token } : {}) };
  });
}
