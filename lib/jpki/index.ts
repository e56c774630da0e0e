/**
 * A convenience barrel of lib/jpki, the verifier of ichimai: RFC 5280 paths, RFC 6960/5280
 * revocation, RFC 5652 CMS, JPKI certificate reading, PEM, the serial form (serial.ts) and the
 * CRLReason list (revocation-reason.ts). DER in and out as Uint8Array; no JPKI policy unless asked
 * (pass `requiredPolicies`, or read `parseJpkiCertificate(...).kind`).
 *
 * Not the only way in: code inside and outside lib/jpki imports the module that defines what it
 * needs (`lib/jpki/certificate`, `lib/jpki/crl`, …) just as well, and many do. This file only
 * gathers the common entry points; it adds no behaviour of its own.
 */
export { type TChainResult, type TValidateChainOptions, validateChain } from "./chain";
export { verifyEcdsa, verifyRsaPkcs1, verifyRsaPss } from "./signature";
export {
  decodeJpkiBirthDate,
  parseJpkiCertificate,
  requireJpkiCertificate,
  type TJpkiCertificate,
  type TJpkiKind,
  type TTokenType,
} from "./jpki-certificate";
export {
  checkRevocation,
  RevocationCache,
  type TCheckRevocationOptions,
  type TRevocationCrlSource,
  type TRevocationResult,
} from "./revocation";
export {
  checkWatchedSerials,
  type TCrlEntry,
  type TCrlSource,
  type TWatchedSerialsResult,
} from "./crl";
export {
  CRL_REASON_CODES,
  JPKI_REVOCATION_REASONS,
  REVOCATION_REASONS,
  reasonCode,
  reasonFromCode,
  type TJpkiRevocationReason,
  type TRevocationReason,
} from "./revocation-reason";
export { canonicalSerial } from "./serial";
export { type TVerifyCmsOptions, verifyCms } from "./cms-verify";
export { SignerValidationCache } from "./signer-validation-cache";
export { signCms, type TSignCmsOptions } from "./cms-sign";
export {
  ChainCode,
  CheckCode,
  RevocationCode,
  type TChainCode,
  type TCheck,
  type TCheckCode,
  type TFourFacts,
  type TRevocationCode,
  type TVerificationReport,
} from "./verification-report";
export { derToPem, pemToDer, pemToDerAll } from "./pem";
export { OID, type THashName } from "./oids";
