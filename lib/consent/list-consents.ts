import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { TAuditChannel, TRequestMetadata } from "@/lib/audit/schemas";
import type { Prisma, PrismaClient } from "@/lib/db/client";
import type { TBilingual } from "@/lib/mailbox/document-types/define-document-type";
import { findDocumentType } from "@/lib/mailbox/document-types/registry";
import { linkPurposesOf, type TLinkPurpose } from "@/lib/mailbox/link-purposes";

export type ListConsentsOptions = {
  /** The logged-in resident; only their own links and shares are listed. */
  residentId: string;
  channel: TAuditChannel;
  requestMetadata?: TRequestMetadata;
  now?: Date;
};

/**
 * A partner the resident linked (an active PartnerResidentLink) and what the link allows: it may
 * deliver to the mailbox only when `purposes` holds `deliver`.
 */
export type TDeliveryConsentDto = {
  linkId: string;
  partner: { id: string; name: string; nameEn: string };
  /** The partner's own reference for the resident (shown so the resident recognises the contract). */
  partnerRef: string;
  purposes: TLinkPurpose[];
  purposeText: string | null;
  linkedAt: string;
};

/** A partner that may still read one of the resident's documents (an open DocumentShare). */
export type TReadConsentDto = {
  shareId: string;
  documentId: string;
  documentTitle: TBilingual;
  partner: { id: string; name: string; nameEn: string };
  createdAt: string;
  expiresAt: string;
};

/** The resident volunteers as a traffic monitor (lib/reports/monitors.ts), withdrawn on /roads. */
export type TTrafficMonitorConsentDto = { since: string };
/**
 * The resident's consent that their household's cable-TV set-top box may hint whether they are at
 * home in a disaster (SetTopBoxOptIn, lib/disaster/set-top-box.ts); withdrawn on /settings/set-top-box.
 */
export type TSetTopBoxConsentDto = {
  boxId: string;
  label: string;
  operator: { id: string; name: string; nameEn: string };
  optedInAt: string;
};

export type TConsentLedger = {
  delivery: TDeliveryConsentDto[];
  reading: TReadConsentDto[];
  trafficMonitor: TTrafficMonitorConsentDto | null;
  setTopBox: TSetTopBoxConsentDto[];
};

const linkSelect = {
  id: true,
  partnerRef: true,
  purposes: true,
  purposeText: true,
  linkedAt: true,
  partner: { select: { id: true, name: true, nameEn: true } },
} satisfies Prisma.PartnerResidentLinkSelect;

const shareSelect = {
  id: true,
  documentId: true,
  createdAt: true,
  expiresAt: true,
  partner: { select: { id: true, name: true, nameEn: true } },
  document: { select: { type: true } },
} satisfies Prisma.DocumentShareSelect;

/**
 * The consent ledger: which partners may deliver to the resident and which may read
 * which document. One-time links are not consents to a partner and stay on the document page.
 * The ledger names documents, so showing it is audited (`consent.listed`) in the same transaction.
 */
export async function listConsents(prisma: PrismaClient, options: ListConsentsOptions): Promise<TConsentLedger> {
  const now = options.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    const [links, shares, monitor, boxes] = await Promise.all([
      tx.partnerResidentLink.findMany({
        where: { residentId: options.residentId, revokedAt: null, partner: { active: true } },
        orderBy: { linkedAt: "asc" },
        select: linkSelect,
      }),
      tx.documentShare.findMany({
        where: { residentId: options.residentId, partnerId: { not: null }, revokedAt: null, expiresAt: { gt: now } },
        orderBy: { createdAt: "desc" },
        select: shareSelect,
      }),
      tx.trafficMonitor.findFirst({
        where: { residentId: options.residentId, withdrawnAt: null },
        select: { optedInAt: true },
      }),
      tx.setTopBoxOptIn.findMany({
        where: { residentId: options.residentId, withdrawnAt: null },
        orderBy: { optedInAt: "asc" },
        select: {
          optedInAt: true,
          box: {
            select: {
              id: true,
              terminal: { select: { label: true, partner: { select: { id: true, name: true, nameEn: true } } } },
            },
          },
        },
      }),
    ]);
    await appendAuditEvent(tx, {
      type: "consent.listed",
      actor: { type: "resident", id: options.residentId },
      subjectResidentId: options.residentId,
      purpose: "同意の一覧",
      channel: options.channel,
      requestMetadata: options.requestMetadata,
      data: { delivery: links.length, reading: shares.length, setTopBox: boxes.length },
    });
    return {
      trafficMonitor: monitor ? { since: monitor.optedInAt.toISOString() } : null,
      delivery: links.map((l) => ({
        linkId: l.id,
        partner: l.partner,
        partnerRef: l.partnerRef,
        purposes: linkPurposesOf(l.purposes),
        purposeText: l.purposeText,
        linkedAt: l.linkedAt.toISOString(),
      })),
      reading: shares.flatMap((s) =>
        s.partner
          ? [
              {
                shareId: s.id,
                documentId: s.documentId,
                documentTitle: findDocumentType(s.document.type)?.title ?? { ja: s.document.type, en: s.document.type },
                partner: s.partner,
                createdAt: s.createdAt.toISOString(),
                expiresAt: s.expiresAt.toISOString(),
              },
            ]
          : [],
      ),
      setTopBox: boxes.map((b) => ({
        boxId: b.box.id,
        label: b.box.terminal.label,
        operator: b.box.terminal.partner,
        optedInAt: b.optedInAt.toISOString(),
      })),
    };
  });
}
