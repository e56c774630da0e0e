import type { Prisma } from "../../db/client";
import type { TSigningRequestDto, TSigningRequestStatus } from "./schemas";

export const signingRequestSelect = {
  id: true,
  partnerId: true,
  residentId: true,
  partnerRef: true,
  sandbox: true,
  title: true,
  text: true,
  content: true,
  status: true,
  expiresAt: true,
  decidedAt: true,
  signedData: true,
  createdAt: true,
} satisfies Prisma.SigningRequestSelect;

export type TSigningRequestRow = Prisma.SigningRequestGetPayload<{ select: typeof signingRequestSelect }>;

/** pending | signed | declined, and expired for a PENDING request past its expiry. */
export function statusOf(
  row: { status: "PENDING" | "SIGNED" | "DECLINED"; expiresAt: Date },
  now: Date,
): TSigningRequestStatus {
  if (row.status === "SIGNED") return "signed";
  if (row.status === "DECLINED") return "declined";
  return row.expiresAt.getTime() <= now.getTime() ? "expired" : "pending";
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");

export function toSigningRequestDto(row: TSigningRequestRow, now: Date): TSigningRequestDto {
  return {
    id: row.id,
    object: "signing_request",
    status: statusOf(row, now),
    partnerRef: row.partnerRef,
    title: row.title,
    content: b64(row.content),
    ...(row.status === "SIGNED" && row.signedData ? { signedData: b64(row.signedData) } : {}),
    expiresAt: row.expiresAt.toISOString(),
    ...(row.decidedAt ? { decidedAt: row.decidedAt.toISOString() } : {}),
    createdAt: row.createdAt.toISOString(),
  };
}
