/**
 * The boundary between the partner sandbox and real residents. A TEST credential reaches only
 * sandbox residents (Resident.sandbox) and cards of the JPKI-TEST hierarchy; a LIVE credential
 * only real residents and production cards. Every /api/v1 operation that touches a resident or a
 * card checks it here; a refusal is 403 CREDENTIAL_MODE_MISMATCH and writes nothing.
 */
import { AppError } from "../errors/app-error";

/** A partner API credential's mode (PartnerCredential.mode). */
export type TCredentialMode = "TEST" | "LIVE";
export type TJpkiHierarchy = "production" | "test";

/** The JPKI hierarchy a credential of `mode` may verify cards of. */
export function hierarchyOfMode(mode: TCredentialMode): TJpkiHierarchy {
  return mode === "TEST" ? "test" : "production";
}

function mismatch(mode: TCredentialMode, what: string): AppError {
  return new AppError("CREDENTIAL_MODE_MISMATCH", {
    message:
      mode === "TEST"
        ? `A TEST credential reaches only the sandbox; this ${what} is real. Use a LIVE credential.`
        : `A LIVE credential does not reach the sandbox; this ${what} is a sandbox one. Use a TEST credential.`,
    details: { mode },
  });
}

/** The mode on whose side a resident is: a sandbox resident is TEST's, a real one LIVE's. */
export function modeOfResident(resident: { sandbox: boolean }): TCredentialMode {
  return resident.sandbox ? "TEST" : "LIVE";
}

/** CREDENTIAL_MODE_MISMATCH when the resident is not on the credential's side, else undefined. */
export function residentModeMismatch(mode: TCredentialMode, resident: { sandbox: boolean }): AppError | undefined {
  return resident.sandbox !== (mode === "TEST") ? mismatch(mode, "resident") : undefined;
}

/** Throws CREDENTIAL_MODE_MISMATCH unless the resident is on the credential's side. */
export function assertModeReachesResident(mode: TCredentialMode, resident: { sandbox: boolean }): void {
  const refused = residentModeMismatch(mode, resident);
  if (refused) throw refused;
}

/**
 * Throws CREDENTIAL_MODE_MISMATCH unless the card certificate's hierarchy (O=JPKI or O=JPKI-TEST,
 * `parseJpkiCertificate(…).hierarchy`) is the credential's; a certificate outside JPKI is left to
 * the path check (CERT_UNTRUSTED).
 */
export function assertModeReachesCertificate(mode: TCredentialMode, hierarchy: TJpkiHierarchy | undefined): void {
  if (hierarchy !== undefined && hierarchy !== hierarchyOfMode(mode)) throw mismatch(mode, "card");
}

/** The hierarchy of an issuer distinguished name as stored (RFC 4514 text, e.g. `C=JP, O=JPKI-TEST, …`). */
export function hierarchyOfIssuerDn(issuerDn: string): TJpkiHierarchy | undefined {
  if (/(^|,\s*)O=JPKI-TEST(,|$)/.test(issuerDn)) return "test";
  if (/(^|,\s*)O=JPKI(,|$)/.test(issuerDn)) return "production";
  return undefined;
}
