import { canonicalJsonBytes } from "../mailbox/canonical-json";
import type { Prisma } from "../db/client";
import { linkPurposesOf } from "../mailbox/link-purposes";
import type { TLinkRequestDto, TLinkRequestStatus } from "./schemas";

export const linkRequestSelect = {
  id: true,
  partnerId: true,
  sandbox: true,
  partnerRef: true,
  purposes: true,
  purposeText: true,
  residentId: true,
  identityVerificationId: true,
  claimCodeHash: true,
  status: true,
  expiresAt: true,
  decidedAt: true,
  signatureRequired: true,
  consentContent: true,
  signedData: true,
  createdAt: true,
} satisfies Prisma.LinkRequestSelect;
export type TLinkRequestRow = Prisma.LinkRequestGetPayload<{ select: typeof linkRequestSelect }>;

/** PENDING past its expiry reads as expired (the row is not rewritten). */
export function statusOf(row: Pick<TLinkRequestRow, "status" | "expiresAt">, now: Date): TLinkRequestStatus {
  if (row.status === "PENDING") return row.expiresAt.getTime() <= now.getTime() ? "expired" : "pending";
  return row.status === "APPROVED" ? "approved" : "refused";
}

export function toLinkRequestDto(row: TLinkRequestRow, now: Date): TLinkRequestDto {
  return {
    id: row.id,
    object: "link_request",
    status: statusOf(row, now),
    partnerRef: row.partnerRef,
    purposes: linkPurposesOf(row.purposes),
    purposeText: row.purposeText,
    addressedBy: row.identityVerificationId ? "identity_verification" : "claim_code",
    ...(row.identityVerificationId ? { identityVerificationId: row.identityVerificationId } : {}),
    claimed: row.residentId !== null,
    signatureRequired: row.signatureRequired,
    ...(row.consentContent ? { content: Buffer.from(row.consentContent).toString("base64") } : {}),
    ...(row.signedData && row.status === "APPROVED"
      ? { signature: Buffer.from(row.signedData).toString("base64") }
      : {}),
    expiresAt: row.expiresAt.toISOString(),
    ...(row.decidedAt ? { decidedAt: row.decidedAt.toISOString() } : {}),
    createdAt: row.createdAt.toISOString(),
  };
}

/** The consent a resident signs for a link request that needs a signature (RFC 8785 bytes). */
export function linkConsentContent(o: {
  linkRequestId: string;
  partnerName: string;
  partnerRef: string;
  purposes: string[];
  purposeText: string;
}): Uint8Array {
  return canonicalJsonBytes({
    format: "ichimai-link-consent/1",
    linkRequestId: o.linkRequestId,
    partner: { name: o.partnerName },
    partnerRef: o.partnerRef,
    purposes: o.purposes,
    purposeText: o.purposeText,
  });
}
