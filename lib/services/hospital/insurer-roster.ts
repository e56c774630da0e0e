import type { PrismaClient } from "../../db/client";

/** One member as the insurer holds it. */
export type TRosterEntry = {
  status: "VALID" | "LAPSED";
  insurerNumber: string;
  symbol: string;
  number: string;
  branch: string | null;
  validFrom: Date;
  validUntil: Date | null;
  copayTenths: number;
  /** When the insurer last confirmed it. */
  confirmedAt: Date;
};

/**
 * The one question the hospital side asks a health insurer: "what do you hold for your member
 * `memberNumber`?" — null when nothing. A rejection (or no answer before `signal` aborts) means the
 * insurer could not be reached; the caller answers "unknown", never "eligible". The mode keeps the
 * sandbox apart: TEST entries answer for sandbox residents only, LIVE entries for real ones.
 *
 * ichimai's own implementation reads the roster the insurer keeps current through
 * PUT /api/v1/insurance/members/{memberNumber}; an insurer that answers live behind its own API
 * would be another implementation of this type.
 */
export type TInsurerRoster = {
  lookup(
    query: { insurerId: string; memberNumber: string; mode: "TEST" | "LIVE" },
    signal: AbortSignal,
  ): Promise<TRosterEntry | null>;
};

/** The roster kept in ichimai's database (InsuranceMember). */
export function databaseInsurerRoster(prisma: PrismaClient): TInsurerRoster {
  return {
    lookup: ({ insurerId, memberNumber, mode }) =>
      prisma.insuranceMember.findUnique({
        where: { insurerId_mode_memberNumber: { insurerId, mode, memberNumber } },
        select: {
          status: true,
          insurerNumber: true,
          symbol: true,
          number: true,
          branch: true,
          validFrom: true,
          validUntil: true,
          copayTenths: true,
          confirmedAt: true,
        },
      }),
  };
}
