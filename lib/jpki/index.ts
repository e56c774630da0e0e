/**
 * The public verifier of ichimai (issue 3): RFC 5280 paths, RFC 6960/5280 revocation, RFC 5652
 * CMS and JPKI certificate reading. DER in and out as Uint8Array; no JPKI policy unless asked
 * (pass `requiredPolicies`, or read `parseJpkiCertificate(...).kind`). Stable: other parts of
 * ichimai and outside tools import only from here.
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
