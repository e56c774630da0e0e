import type { PrismaClient } from "../../db/client";
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
  issuerFingerprint: true,
  createdAt: true,
} as const;

/** The last finished change-check cycle: when it started and which issuers' CRLs failed. */
export type TLastCycle = { startedAt: Date; failedIssuers: Set<string> } | undefined;

/** Reads {@link TLastCycle} (one row). */
export async function findLastCycle(prisma: PrismaClient): Promise<TLastCycle> {
  const run = await prisma.changeCheckRun.findFirst({
    where: { finishedAt: { not: null } },
    orderBy: { startedAt: "desc" },
    select: { startedAt: true, failures: true },
  });
  if (!run) return undefined;
  const failures = Array.isArray(run.failures)
    ? (run.failures as { issuerFingerprint?: string; serialNumber?: string }[])
    : [];
  // A CRL failure names no serial; a single contradicting OCSP answer does not make the issuer unchecked.
  return {
    startedAt: run.startedAt,
    failedIssuers: new Set(failures.filter((f) => !f.serialNumber).map((f) => f.issuerFingerprint ?? "")),
  };
}

/**
 * A watch as the API shows it. `lastCheckedAt` is the later of the watch's own time (set when it
 * was found revoked) and the start of the last cycle that scanned its issuer's CRL.
 */
export function toWatchDto(
  row: {
    id: string;
    verificationId: string;
    status: "ACTIVE" | "REVOKED" | "CANCELLED";
    issuerDn: string;
    serialNumber: string;
    revokedAt: Date | null;
    revocationReason: string | null;
    lastCheckedAt: Date | null;
    issuerFingerprint: string;
    createdAt: Date;
  },
  lastCycle?: TLastCycle,
): TWatchDto {
  const cycleAt =
    row.status === "ACTIVE" &&
    lastCycle &&
    !lastCycle.failedIssuers.has(row.issuerFingerprint) &&
    lastCycle.startedAt > row.createdAt
      ? lastCycle.startedAt
      : null;
  const lastCheckedAt = [row.lastCheckedAt, cycleAt]
    .filter((d): d is Date => d !== null)
    .sort((a, b) => b.getTime() - a.getTime())[0];
  return {
    id: row.id,
    object: "watch",
    verificationId: row.verificationId,
    status: row.status.toLowerCase() as TWatchDto["status"],
    certificate: { issuer: row.issuerDn, serialNumber: row.serialNumber },
    ...(row.revokedAt ? { revokedAt: row.revokedAt.toISOString() } : {}),
    ...(row.revocationReason ? { revocationReason: row.revocationReason } : {}),
    ...(lastCheckedAt ? { lastCheckedAt: lastCheckedAt.toISOString() } : {}),
    createdAt: row.createdAt.toISOString(),
  };
}
