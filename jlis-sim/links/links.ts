/**
 * The linking and facts services J-LIS offers registered verifiers (docs/jpki.md#revocation): 証明書紐付け
 * (sign → auth), 証明書新旧紐付け (old → new, following the chain to the newest) and 最新の基本4情報
 * (the latest four facts, with the resident's consent). Read-only over the registry.
 */
import { AppError } from "@/lib/errors/app-error";
import type { FourFacts } from "../ca/ca";
import type { CaPurpose, TokenType } from "../ca/profiles";
import type { JlisCore } from "../core/jlis-core";
import type { TMunicipality } from "../store";

/** 証明書紐付け: the auth certificate issued with a signing certificate. */
export function linkSignToAuth(
  core: JlisCore,
  signSerialHex: string,
): { signSerial: string; authSerial: string; tokenType: TokenType } {
  const record = core.certificate(signSerialHex);
  if (record?.purpose !== "sign" || !record.pairedAuth) {
    throw new AppError("JLIS_CERT_UNKNOWN", { details: { serial: signSerialHex } });
  }
  return { signSerial: record.serial, authSerial: record.pairedAuth, tokenType: record.tokenType };
}

/** 証明書新旧紐付け: the certificate that replaced this one, and the newest in the chain. */
export function successorOf(
  core: JlisCore,
  serialHex: string,
): { serial: string; purpose: CaPurpose; tokenType: TokenType; successor: string | null; latest: string } {
  const record = core.certificate(serialHex);
  if (!record) throw new AppError("JLIS_CERT_UNKNOWN", { details: { serial: serialHex } });
  let latest = record;
  const seen = new Set<string>();
  while (latest.successor && !seen.has(latest.serial)) {
    seen.add(latest.serial);
    const next = core.state.certificates[latest.successor];
    if (!next) break;
    latest = next;
  }
  return {
    serial: record.serial,
    purpose: record.purpose,
    tokenType: record.tokenType,
    successor: record.successor ?? null,
    latest: latest.serial,
  };
}

/**
 * 最新の基本4情報 (docs/jpki.md#revocation): the current four facts of the holder of a signing certificate
 * (also a revoked one — that is the point), only if the resident consented.
 */
export function latestFacts(
  core: JlisCore,
  signSerialHex: string,
): {
  facts: FourFacts;
  municipality: TMunicipality;
  deceased: boolean;
  currentSignSerial: string | null;
  asOf: string;
} {
  const record = core.certificate(signSerialHex);
  if (record?.purpose !== "sign") {
    throw new AppError("JLIS_CERT_UNKNOWN", { details: { serial: signSerialHex } });
  }
  const resident = core.residentOrThrow(record.residentRef);
  if (!resident.consentToShareFacts) throw new AppError("JLIS_CONSENT_MISSING");
  const current = resident.tokens[record.tokenType]?.sign;
  const currentActive = current && !core.state.certificates[current]?.revokedAt ? current : null;
  return {
    facts: resident.facts,
    municipality: resident.municipality,
    deceased: resident.deceasedAt !== undefined,
    currentSignSerial: currentActive,
    asOf: core.clock().toISOString(),
  };
}
