/**
 * What a member link (PartnerResidentLink) lets its partner do. A link is the resident's consent,
 * and it is given for named purposes only: every service that acts on a link asks here for the
 * purpose it needs, so a link made for eligibility checks does not let the partner deliver.
 *
 * Links made before purposes existed allowed delivery and eligibility checks; the migration
 * backfilled them with exactly those two (and `linkPartner` still defaults to them).
 */
import { z } from "zod";
import type { Prisma, PrismaClient } from "../db/client";
import { AppError } from "../errors/app-error";

/**
 * The purposes, in plain words (the resident sees them as such, lib/i18n `links.purposes.*`).
 * Never rename one: stored links and partners' requests refer to them.
 */
export const ZLinkPurpose = z.enum([
  /** Deliver documents to the resident's mailbox (POST /api/v1/documents, bulk). */
  "deliver",
  /** Check eligibility when the resident taps their card at the partner's terminal. */
  "eligibility",
  /** Receive notifications when the resident's registered facts change (moves, name changes). */
  "notify",
]);
export type TLinkPurpose = z.infer<typeof ZLinkPurpose>;
export const LINK_PURPOSES: readonly TLinkPurpose[] = ZLinkPurpose.options;

/** What links made before purposes existed (and `linkPartner` without purposes) allow. */
export const LEGACY_LINK_PURPOSES: readonly TLinkPurpose[] = ["deliver", "eligibility"];

/** The stored purposes that are known, in declaration order (unknown strings are ignored). */
export function linkPurposesOf(stored: readonly string[] | null | undefined): TLinkPurpose[] {
  const set = new Set(stored ?? []);
  return LINK_PURPOSES.filter((p) => set.has(p));
}

/** True when the stored purposes include `purpose`. */
export function linkAllows(link: { purposes: readonly string[] | null }, purpose: TLinkPurpose): boolean {
  return (link.purposes ?? []).includes(purpose);
}

/** The refusal for a link that exists but was not given for `purpose`: 403 LINK_PURPOSE_NOT_ALLOWED. */
export function linkPurposeRefusal(purpose: TLinkPurpose): AppError {
  return new AppError("LINK_PURPOSE_NOT_ALLOWED", {
    message: `The resident's link does not allow "${purpose}". Ask the resident to approve a link request with this purpose.`,
    details: { purpose },
  });
}

export type TActiveLink = {
  linkId: string;
  partnerId: string;
  residentId: string;
  partnerRef: string;
  purposes: TLinkPurpose[];
  linkedAt: Date;
};

type TDb = PrismaClient | Prisma.TransactionClient;

/**
 * THE check for every service: is this resident linked to partner P for purpose X? The active
 * (not revoked) link of the partner with the resident — by resident id, or by the partner's own
 * reference — when it allows `purpose`; null otherwise (no link, an ended one, or one given for
 * other purposes). Use {@link requireLinkForPurpose} to refuse with stable codes instead.
 */
export async function findLinkForPurpose(
  db: TDb,
  o: { partnerId: string; purpose: TLinkPurpose } & ({ residentId: string } | { partnerRef: string }),
): Promise<TActiveLink | null> {
  const link = await findActiveLink(db, o);
  return link?.purposes.includes(o.purpose) ? link : null;
}

/**
 * Like {@link findLinkForPurpose}, but refuses: RECIPIENT_NOT_LINKED (403) when there is no
 * active link, LINK_PURPOSE_NOT_ALLOWED (403) when the link does not allow `purpose`.
 */
export async function requireLinkForPurpose(
  db: TDb,
  o: { partnerId: string; purpose: TLinkPurpose } & ({ residentId: string } | { partnerRef: string }),
): Promise<TActiveLink> {
  const link = await findActiveLink(db, o);
  if (!link) throw new AppError("RECIPIENT_NOT_LINKED");
  if (!link.purposes.includes(o.purpose)) throw linkPurposeRefusal(o.purpose);
  return link;
}

/** The active link of the partner with a resident (by resident id or partner reference), any purpose. */
export async function findActiveLink(
  db: TDb,
  o: { partnerId: string } & ({ residentId: string } | { partnerRef: string }),
): Promise<TActiveLink | null> {
  const where =
    "residentId" in o
      ? { partnerId_residentId: { partnerId: o.partnerId, residentId: o.residentId } }
      : { partnerId_partnerRef: { partnerId: o.partnerId, partnerRef: o.partnerRef } };
  const row = await db.partnerResidentLink.findUnique({
    where,
    select: {
      id: true,
      partnerId: true,
      residentId: true,
      partnerRef: true,
      purposes: true,
      linkedAt: true,
      revokedAt: true,
    },
  });
  if (!row || row.revokedAt) return null;
  return {
    linkId: row.id,
    partnerId: row.partnerId,
    residentId: row.residentId,
    partnerRef: row.partnerRef,
    purposes: linkPurposesOf(row.purposes),
    linkedAt: row.linkedAt,
  };
}
