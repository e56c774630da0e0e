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
    expiresAt: row.expiresAt.toISOString(),
    ...(row.decidedAt ? { decidedAt: row.decidedAt.toISOString() } : {}),
    createdAt: row.createdAt.toISOString(),
  };
}
