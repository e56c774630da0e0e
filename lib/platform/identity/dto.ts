import type { TFourFacts } from "../../jpki/verification-report";
import type { TFourFactsDto, TIdentityVerificationDto } from "../schemas";

/** Columns {@link toIdentityVerificationDto} reads. */
export const identityVerificationSelect = {
  id: true,
  partnerId: true,
  status: true,
  failureCode: true,
  purpose: true,
  checks: true,
  signerIssuerDn: true,
  signerSerialNumber: true,
  signerNotAfter: true,
  signingTime: true,
  contentHash: true,
  facts: true,
  residentId: true,
  createdAt: true,
} as const;

type TRow = {
  id: string;
  status: "VERIFIED" | "REJECTED";
  failureCode: string | null;
  purpose: string;
  checks: unknown;
  signerIssuerDn: string;
  signerSerialNumber: string;
  signerNotAfter: Date;
  signingTime: Date | null;
  contentHash: string;
  facts: unknown;
  createdAt: Date;
};

/** The four facts the platform keeps and returns (flags and era forms stay out of the API). */
export function toFourFactsDto(f: TFourFacts): TFourFactsDto {
  return { name: f.name, address: f.address, dateOfBirth: f.dateOfBirth, gender: f.gender };
}

/** Maps a stored verification to the API; facts only when `includeFacts` (identity:facts scope). */
export function toIdentityVerificationDto(row: TRow, o: { includeFacts: boolean }): TIdentityVerificationDto {
  const facts = o.includeFacts && row.status === "VERIFIED" && row.facts ? (row.facts as TFourFactsDto) : undefined;
  return {
    id: row.id,
    object: "identity_verification",
    status: row.status === "VERIFIED" ? "verified" : "rejected",
    ...(row.failureCode ? { failureCode: row.failureCode } : {}),
    purpose: row.purpose,
    checks: row.checks as TIdentityVerificationDto["checks"],
    signer: {
      issuer: row.signerIssuerDn,
      serialNumber: row.signerSerialNumber,
      notAfter: row.signerNotAfter.toISOString(),
    },
    ...(row.signingTime ? { signingTime: row.signingTime.toISOString() } : {}),
    contentSha256: row.contentHash,
    ...(facts ? { facts } : {}),
    createdAt: row.createdAt.toISOString(),
  };
}
