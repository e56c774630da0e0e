import { assertModeReachesResident, type TCredentialMode } from "@/lib/credential-mode/credential-mode";
import { isUuid } from "../db/ids";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { TRequestMetadata } from "@/lib/audit/schemas";
import type { PrismaClient } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { hashShareToken } from "./share-document";
import { bundleSelect, type TSignedDocumentBundle, toSignedDocumentBundle } from "./signed-bundle";

type TShareState = { revokedAt: Date | null; expiresAt: Date };

function assertOpen(share: TShareState, now: Date): void {
  if (share.revokedAt) throw new AppError("SHARE_REVOKED");
  if (share.expiresAt <= now) throw new AppError("SHARE_EXPIRED");
}

export type GetSharedDocumentOptions = {
  partnerId: string;
  shareId: string;
  requestMetadata?: TRequestMetadata;
  now?: Date;
  /** The fetching credential's mode: the sharing resident must be on its side. */
  credentialMode?: TCredentialMode;
};

/**
 * A document a resident shared with this partner, as the original signed bundle. Shares to other
 * partners and unknown ids are the same SHARE_NOT_FOUND; revoked and expired shares are refused
 * (SHARE_REVOKED, SHARE_EXPIRED). Each fetch is audited as the partner reading the resident's
 * document (`document.read`, actor partner).
 */
export async function getSharedDocumentForPartnerOrThrow(
  prisma: PrismaClient,
  options: GetSharedDocumentOptions,
): Promise<TSignedDocumentBundle> {
  if (!isUuid(options.shareId)) throw new AppError("SHARE_NOT_FOUND");
  const now = options.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    const share = await tx.documentShare.findFirst({
      where: { id: options.shareId, partnerId: options.partnerId },
      select: {
        id: true,
        residentId: true,
        revokedAt: true,
        expiresAt: true,
        usedAt: true,
        resident: { select: { sandbox: true } },
        document: { select: bundleSelect },
      },
    });
    if (!share) throw new AppError("SHARE_NOT_FOUND");
    if (options.credentialMode) assertModeReachesResident(options.credentialMode, share.resident);
    assertOpen(share, now);
    if (!share.usedAt) await tx.documentShare.update({ where: { id: share.id }, data: { usedAt: now } });
    await appendAuditEvent(tx, {
      type: "document.read",
      actor: { type: "partner", id: options.partnerId },
      subjectResidentId: share.residentId,
      purpose: "共有された書類の受領",
      channel: "api",
      requestMetadata: options.requestMetadata,
      data: { documentId: share.document.id, shareId: share.id },
    });
    return toSignedDocumentBundle(share.document);
  });
}

export type RedeemShareLinkOptions = { token: string; requestMetadata?: TRequestMetadata; now?: Date };

/**
 * Redeems a one-time share link: the first call returns the signed bundle and closes the link
 * (an atomic `usedAt IS NULL` update, so two racing calls cannot both win); later calls get
 * SHARE_USED. Unknown tokens are SHARE_NOT_FOUND. Audited as `document.read` by the link holder.
 */
export async function redeemShareLinkOrThrow(
  prisma: PrismaClient,
  options: RedeemShareLinkOptions,
): Promise<TSignedDocumentBundle> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(options.token)) throw new AppError("SHARE_NOT_FOUND");
  const now = options.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    const share = await tx.documentShare.findUnique({
      where: { tokenHash: hashShareToken(options.token) },
      select: { id: true, residentId: true, revokedAt: true, expiresAt: true, document: { select: bundleSelect } },
    });
    if (!share) throw new AppError("SHARE_NOT_FOUND");
    assertOpen(share, now);
    const { count } = await tx.documentShare.updateMany({
      where: { id: share.id, usedAt: null },
      data: { usedAt: now },
    });
    if (count === 0) throw new AppError("SHARE_USED");
    await appendAuditEvent(tx, {
      type: "document.read",
      actor: { type: "system", id: "share-link" },
      subjectResidentId: share.residentId,
      purpose: "使い捨てリンクによる書類の受領",
      channel: "api",
      requestMetadata: options.requestMetadata,
      data: { documentId: share.document.id, shareId: share.id },
    });
    return toSignedDocumentBundle(share.document);
  });
}
