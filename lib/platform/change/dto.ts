import type { TWatchDto } from "../schemas";

export const watchSelect = {
  id: true,
  verificationId: true,
  status: true,
  issuerDn: true,
  serialNumber: true,
  revokedAt: true,
  revocationReason: true,
  lastCheckedAt: true,
  createdAt: true,
} as const;

/** A watch as the API shows it. */
export function toWatchDto(row: {
  id: string;
  verificationId: string;
  status: "ACTIVE" | "REVOKED" | "CANCELLED";
  issuerDn: string;
  serialNumber: string;
  revokedAt: Date | null;
  revocationReason: string | null;
  lastCheckedAt: Date | null;
  createdAt: Date;
}): TWatchDto {
  return {
    id: row.id,
    object: "watch",
    verificationId: row.verificationId,
    status: row.status.toLowerCase() as TWatchDto["status"],
    certificate: { issuer: row.issuerDn, serialNumber: row.serialNumber },
    ...(row.revokedAt ? { revokedAt: row.revokedAt.toISOString() } : {}),
    ...(row.revocationReason ? { revocationReason: row.revocationReason } : {}),
    ...(row.lastCheckedAt ? { lastCheckedAt: row.lastCheckedAt.toISOString() } : {}),
    createdAt: row.createdAt.toISOString(),
  };
}
