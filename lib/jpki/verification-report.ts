/**
 * Stable result codes of the verifier (public contract, like lib/errors/codes.ts: add, never
 * rename). They appear in `validateChain` results and in the `checks` of a VerificationReport.
 */
export const ChainCode = {
  /** No path from the certificate to a trust anchor could be built (RFC 5280 §6, path building). */
  CERT_UNTRUSTED: "CERT_UNTRUSTED",
  /** An issuer with a matching name and key id was found but its signature does not verify. */
  SIGNATURE_INVALID: "SIGNATURE_INVALID",
  /** A certificate on the path is past notAfter at the validation time (§6.1.3 (a)(2)). */
  CERT_EXPIRED: "CERT_EXPIRED",
  /** A certificate on the path is before notBefore at the validation time. */
  CERT_NOT_YET_VALID: "CERT_NOT_YET_VALID",
  /** An issuing certificate is not a CA (basicConstraints cA, §6.1.4 (k)). */
  CA_BASIC_CONSTRAINTS: "CA_BASIC_CONSTRAINTS",
  /** pathLenConstraint exceeded (§6.1.4 (l)(m)). */
  PATH_LENGTH_EXCEEDED: "PATH_LENGTH_EXCEEDED",
  /** An issuing certificate's keyUsage lacks keyCertSign (§6.1.4 (n)). */
  CA_KEY_USAGE: "CA_KEY_USAGE",
  /** A critical extension the validator does not process (§6.1.4 (o), §4.2). */
  UNKNOWN_CRITICAL_EXTENSION: "UNKNOWN_CRITICAL_EXTENSION",
  /** A name is outside the permitted or inside the excluded subtrees (§6.1.3 (b)(c)). */
  NAME_CONSTRAINTS_VIOLATED: "NAME_CONSTRAINTS_VIOLATED",
  /** None of the required certificate policies is valid for the path (§6.1.5 (g)). */
  POLICY_NOT_ACCEPTED: "POLICY_NOT_ACCEPTED",
  /** Path building gave up: depth or candidate budget exhausted (cycles, adversarial graphs). */
  PATH_SEARCH_LIMIT: "PATH_SEARCH_LIMIT",
  /** A certificate on the path is listed on a CRL. */
  CERT_REVOKED: "CERT_REVOKED",
  /** CRLs were supplied but none covers a certificate on the path. */
  CRL_NOT_FOUND: "CRL_NOT_FOUND",
  /** The covering CRL is past nextUpdate (or not yet valid) at the validation time. */
  CRL_STALE: "CRL_STALE",
  /** The signature algorithm or key of a certificate on the path is not accepted. */
  ALGORITHM_UNSUPPORTED: "ALGORITHM_UNSUPPORTED",
  // Conforming-CA rules (lib/jpki/conformance.ts, docs/jpki.md#conforming-ca-rules): every
  // certificate of the path but the trust anchor, and every CRL used.
  /** Serial number zero or negative (RFC 5280 §4.1.2.2). */
  CERT_SERIAL_NOT_POSITIVE: "CERT_SERIAL_NOT_POSITIVE",
  /** Serial number longer than 20 octets (§4.1.2.2). */
  CERT_SERIAL_TOO_LONG: "CERT_SERIAL_TOO_LONG",
  /** No authorityKeyIdentifier keyIdentifier in a certificate that is not self-signed (§4.2.1.1). */
  CERT_AKI_MISSING: "CERT_AKI_MISSING",
  /** authorityKeyIdentifier marked critical (§4.2.1.1). */
  CERT_AKI_CRITICAL: "CERT_AKI_CRITICAL",
  /** CA certificate without subjectKeyIdentifier (§4.2.1.2). */
  CERT_SKI_MISSING: "CERT_SKI_MISSING",
  /** basicConstraints of a CA certificate not marked critical (§4.2.1.9). */
  CERT_BASIC_CONSTRAINTS_NOT_CRITICAL: "CERT_BASIC_CONSTRAINTS_NOT_CRITICAL",
  /** nameConstraints not marked critical (§4.2.1.10). */
  CERT_NAME_CONSTRAINTS_NOT_CRITICAL: "CERT_NAME_CONSTRAINTS_NOT_CRITICAL",
  /** nameConstraints in a certificate that is not a CA certificate (§4.2.1.10). */
  CERT_NAME_CONSTRAINTS_NOT_CA: "CERT_NAME_CONSTRAINTS_NOT_CA",
  /** nameConstraints with neither permitted nor excluded subtrees (§4.2.1.10). */
  CERT_NAME_CONSTRAINTS_EMPTY: "CERT_NAME_CONSTRAINTS_EMPTY",
  /** policyConstraints not marked critical (§4.2.1.11). */
  CERT_POLICY_CONSTRAINTS_NOT_CRITICAL: "CERT_POLICY_CONSTRAINTS_NOT_CRITICAL",
  /** authorityInfoAccess marked critical (§4.2.2.1). */
  CERT_AIA_CRITICAL: "CERT_AIA_CRITICAL",
  /** keyUsage keyCertSign in a certificate without basicConstraints cA (§4.2.1.3). */
  CERT_KEY_CERT_SIGN_NOT_CA: "CERT_KEY_CERT_SIGN_NOT_CA",
  /** extKeyUsage present but listing no purpose (§4.2.1.12). */
  CERT_EKU_EMPTY: "CERT_EKU_EMPTY",
  /** CA certificate with an empty subject (§4.1.2.6). */
  CERT_CA_SUBJECT_EMPTY: "CERT_CA_SUBJECT_EMPTY",
  /** Empty subject without a critical subjectAltName (§4.1.2.6, §4.2.1.6). */
  CERT_EMPTY_SUBJECT_SAN_NOT_CRITICAL: "CERT_EMPTY_SUBJECT_SAN_NOT_CRITICAL",
  /** A dNSName alternative name not in preferred name syntax (§4.2.1.6). */
  CERT_DNS_NAME_INVALID: "CERT_DNS_NAME_INVALID",
  /** An rfc822Name alternative name that is not a mailbox local-part@domain (§4.2.1.6). */
  CERT_RFC822_NAME_INVALID: "CERT_RFC822_NAME_INVALID",
  /** The covering CRL has no cRLNumber (§5.2.3). */
  CRL_NUMBER_MISSING: "CRL_NUMBER_MISSING",
  /** The covering CRL's cRLNumber is marked critical (§5.2.3). */
  CRL_NUMBER_CRITICAL: "CRL_NUMBER_CRITICAL",
} as const;

export type TChainCode = (typeof ChainCode)[keyof typeof ChainCode];

/** Check codes of a CMS VerificationReport, one per check, in the order they run. */
export const CheckCode = {
  /** SignedData parsed; exactly one SignerInfo; digest algorithm supported. */
  CMS_STRUCTURE: "CMS_STRUCTURE",
  /** The signer certificate is in the SignedData and matches the SignerIdentifier. */
  CMS_SIGNER_CERTIFICATE: "CMS_SIGNER_CERTIFICATE",
  /** signed attribute content-type present and equal to eContentType (RFC 5652 §11.1). */
  CMS_CONTENT_TYPE: "CMS_CONTENT_TYPE",
  /** signed attribute message-digest equals the digest of the content (RFC 5652 §11.2). */
  CMS_MESSAGE_DIGEST: "CMS_MESSAGE_DIGEST",
  /** signing-time present and well-formed (RFC 5652 §11.3); not after the verification time. */
  CMS_SIGNING_TIME: "CMS_SIGNING_TIME",
  /** signing-certificate-v2 present and its hash matches the signer certificate (RFC 5035, CAdES-BES). */
  CMS_SIGNING_CERTIFICATE_V2: "CMS_SIGNING_CERTIFICATE_V2",
  /** The signature over the DER SET OF signed attributes verifies with the signer's key (RFC 5652 §5.4). */
  CMS_SIGNATURE: "CMS_SIGNATURE",
  /** The signer's certificate path is valid at the signing time (RFC 5280 §6.1). */
  CERT_PATH: "CERT_PATH",
  /** The signer's certificate allows signatures (keyUsage digitalSignature or nonRepudiation). */
  CERT_KEY_USAGE: "CERT_KEY_USAGE",
  /** Revocation status of the signer certificate now (OCSP, CRL fallback). */
  CERT_REVOCATION: "CERT_REVOCATION",
} as const;

export type TCheckCode = (typeof CheckCode)[keyof typeof CheckCode];

/** One check of a report; `detail` carries the sub-code or reason when it failed. */
export type TCheck = { code: TCheckCode; ok: boolean; detail?: string };

/** The four basic facts of a JPKI signing certificate (docs/jpki.md#the-four-basic-facts). */
export type TFourFacts = {
  name: string;
  address: string;
  /** YYYY-MM-DD (Gregorian), or undefined when the era digit is 0 (unknown). */
  dateOfBirth?: string;
  /** The raw `EYYYYMMDD` value, its era name and the 和暦 form, e.g. 419900102 / 平成 / 平成2年1月2日. */
  dateOfBirthEra: { code: string; era: string; form?: string };
  gender: "male" | "female" | "unknown";
  /** Substitute-character flag strings for the name and the address. */
  nameFlags?: string;
  addressFlags?: string;
};

/** The result of `verifyCms`: overall validity, each check, the signer and its facts. */
export type TVerificationReport = {
  valid: boolean;
  checks: TCheck[];
  signerCertificate?: Uint8Array;
  /** Certificate path used (signer first). */
  path?: Uint8Array[];
  signingTime?: Date;
  /** The signed content (attached content, or the detached content given). */
  content?: Uint8Array;
  facts?: TFourFacts;
  revocation?: { status: string; reason?: string; revokedAt?: Date; source?: string };
};

/** Builds the report: valid only when every check passed and there is at least one. */
export function finishReport(report: Omit<TVerificationReport, "valid">): TVerificationReport {
  return { ...report, valid: report.checks.length > 0 && report.checks.every((c) => c.ok) };
}

/**
 * Why a revocation source gave no answer (`details.code` of CERT_STATUS_UNAVAILABLE and the
 * `failures` of a revocation result). Stable like the codes above.
 */
export const RevocationCode = {
  /** The OCSP responder could not be reached (connection refused, timeout). */
  OCSP_UNREACHABLE: "OCSP_UNREACHABLE",
  /** The responder answered with an HTTP error or a wrong content type. */
  OCSP_HTTP_ERROR: "OCSP_HTTP_ERROR",
  /** responseStatus was not successful (malformedRequest, internalError, tryLater, …; RFC 6960 §4.2.1). */
  OCSP_RESPONSE_STATUS: "OCSP_RESPONSE_STATUS",
  /** The response could not be parsed. */
  OCSP_MALFORMED: "OCSP_MALFORMED",
  /** The response signature does not verify with the responder's key. */
  OCSP_SIGNATURE_INVALID: "OCSP_SIGNATURE_INVALID",
  /** The signer is neither the CA nor a certificate the CA issued with id-kp-OCSPSigning (RFC 6960 §4.2.2.2). */
  OCSP_RESPONDER_UNAUTHORIZED: "OCSP_RESPONDER_UNAUTHORIZED",
  /** The response nonce differs from the request's (RFC 8954). */
  OCSP_NONCE_MISMATCH: "OCSP_NONCE_MISMATCH",
  /** A nonce was sent and required but the response has none. */
  OCSP_NONCE_MISSING: "OCSP_NONCE_MISSING",
  /** No SingleResponse matches the CertID asked for. */
  OCSP_CERT_ID_MISMATCH: "OCSP_CERT_ID_MISMATCH",
  /** thisUpdate too old or in the future, or nextUpdate already past (RFC 6960 §3.2 (4)(5)). */
  OCSP_STALE: "OCSP_STALE",
  /** The CRL could not be downloaded. */
  CRL_UNAVAILABLE: "CRL_UNAVAILABLE",
  /** The CRL is not signed by the certificate's issuer. */
  CRL_SIGNATURE_INVALID: "CRL_SIGNATURE_INVALID",
  /** The CRL is past nextUpdate. */
  CRL_STALE: "CRL_STALE",
  /** The CRL could not be parsed or has an unknown critical extension. */
  CRL_MALFORMED: "CRL_MALFORMED",
  /** The CRL's scope (issuingDistributionPoint) does not cover the certificate. */
  CRL_NOT_COVERING: "CRL_NOT_COVERING",
  /** The CRL has no cRLNumber (RFC 5280 §5.2.3; conforming-CA rule). */
  CRL_NUMBER_MISSING: "CRL_NUMBER_MISSING",
  /** The CRL's cRLNumber is marked critical (RFC 5280 §5.2.3; conforming-CA rule). */
  CRL_NUMBER_CRITICAL: "CRL_NUMBER_CRITICAL",
} as const;

export type TRevocationCode = (typeof RevocationCode)[keyof typeof RevocationCode];
