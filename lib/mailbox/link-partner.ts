import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { TRequestMetadata } from "@/lib/audit/schemas";
import type { PrismaClient } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { LEGACY_LINK_PURPOSES, type TLinkPurpose } from "./link-purposes";

export type LinkPartnerOptions = {
  residentId: string;
  partnerId: string;
  /** The partner's own reference for the resident (policy or customer number). */
  partnerRef: string;
  /** What the link allows (default: deliver and eligibility, what links allowed before purposes). */
  purposes?: readonly TLinkPurpose[];
  channel?: "pc" | "phone" | "tv" | "terminal";
  requestMetadata?: TRequestMetadata;
};

/**
 * The resident consents that a partner may deliver to their mailbox, under the partner's own
 * reference (a pairwise identifier: the partner never learns a global id). Re-linking after a
 * revocation reuses the row. Throws PARTNER_REF_TAKEN when another resident holds the reference,
 * NOT_FOUND for an unknown or inactive partner.
 */
export async function linkPartner(prisma: PrismaClient, options: LinkPartnerOptions): Promise<{ linkId: string }> {
  const partnerRef = options.partnerRef.trim();
  if (partnerRef.length === 0 || partnerRef.length > 100) {
    throw new AppError("VALIDATION_FAILED", { details: [{ path: "partnerRef", message: "1–100 characters" }] });
  }
  const purposes = [...(options.purposes ?? LEGACY_LINK_PURPOSES)];
  return prisma.$transaction(async (tx) => {
    const partner = await tx.partner.findUnique({ where: { id: options.partnerId }, select: { active: true } });
    if (!partner?.active) throw new AppError("NOT_FOUND", { message: "No such partner." });
    const taken = await tx.partnerResidentLink.findUnique({
      where: { partnerId_partnerRef: { partnerId: options.partnerId, partnerRef } },
      select: { residentId: true },
    });
    if (taken && taken.residentId !== options.residentId) throw new AppError("PARTNER_REF_TAKEN");
    const link = await tx.partnerResidentLink.upsert({
      where: { partnerId_residentId: { partnerId: options.partnerId, residentId: options.residentId } },
      create: { partnerId: options.partnerId, residentId: options.residentId, partnerRef, purposes },
      update: { partnerRef, purposes, revokedAt: null, linkedAt: new Date() },
      select: { id: true },
    });
    await appendAuditEvent(tx, {
      type: "consent.given",
      actor: { type: "resident", id: options.residentId },
      subjectResidentId: options.residentId,
      purpose: "書類の受け取りのための連携",
      channel: options.channel ?? "pc",
      requestMetadata: options.requestMetadata,
      data: { consent: "mailbox.delivery", partnerId: options.partnerId, linkId: link.id, purposes },
    });
    return { linkId: link.id };
  });
}
