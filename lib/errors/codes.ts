/**
 * Stable error codes: public contract for the UI, the partner API and outside tools.
 * Add codes freely; never rename or reuse one.
 */
export const errorCodes = {
  /** Input failed its zod schema. */
  VALIDATION_FAILED: { status: 422, message: "The request did not match the schema." },
  /** Body was not valid JSON. */
  BAD_JSON: { status: 400, message: "The request body is not valid JSON." },
  /** Body larger than the endpoint allows. */
  PAYLOAD_TOO_LARGE: { status: 413, message: "The request body is too large." },
  NOT_FOUND: { status: 404, message: "Not found." },
  UNAUTHENTICATED: { status: 401, message: "Authentication is required." },
  FORBIDDEN: { status: 403, message: "You may not do this." },
  RATE_LIMITED: { status: 429, message: "Too many requests." },
  INTERNAL: { status: 500, message: "Something went wrong on our side." },
  /** The database could not be reached or started. */
  DATABASE_UNAVAILABLE: { status: 503, message: "The database is not available." },
  /** A migration on disk differs from the one recorded as applied. */
  MIGRATION_CHECKSUM_MISMATCH: { status: 500, message: "An applied migration was edited." },
  /** A failed migration row blocks further migrations (Prisma P3009). */
  MIGRATION_FAILED: { status: 500, message: "A previous migration failed." },
  /** The audit hash chain does not verify. */
  AUDIT_CHAIN_BROKEN: { status: 500, message: "The audit log hash chain is broken." },
  // --- JPKI (lib/jpki) ---
  /** DER could not be parsed (truncated, wrong tags, absurd lengths). */
  DER_MALFORMED: { status: 400, message: "The data is not well-formed DER." },
  /** Input exceeds a parser limit. */
  INPUT_TOO_LARGE: { status: 413, message: "The input is too large." },
  CERT_MALFORMED: { status: 400, message: "The certificate could not be parsed." },
  CERT_EXPIRED: { status: 401, message: "The certificate has expired." },
  CERT_NOT_YET_VALID: { status: 401, message: "The certificate is not yet valid." },
  CERT_UNTRUSTED: { status: 401, message: "The certificate does not chain to a trusted root." },
  CERT_REVOKED: { status: 401, message: "The certificate has been revoked." },
  CERT_STATUS_UNKNOWN: { status: 401, message: "The certificate is unknown to the revocation service." },
  CERT_STATUS_UNAVAILABLE: { status: 503, message: "The revocation status could not be learned." },
  /** A signing certificate offered for login, or an auth certificate for a signature. */
  CERT_WRONG_PURPOSE: { status: 401, message: "The certificate is not for this purpose." },
  SIGNATURE_INVALID: { status: 401, message: "The signature does not verify." },
  ALGORITHM_UNSUPPORTED: { status: 400, message: "The algorithm is not supported." },
  CMS_MALFORMED: { status: 400, message: "The CMS structure could not be parsed." },
  // --- Card login ---
  CHALLENGE_EXPIRED: { status: 401, message: "The login challenge has expired." },
  CHALLENGE_REPLAYED: { status: 401, message: "The login challenge was already used." },
  CHALLENGE_UNKNOWN: { status: 401, message: "The login challenge is unknown." },
  ORIGIN_MISMATCH: { status: 401, message: "The signed origin does not match this portal." },
  CARD_UNKNOWN: { status: 401, message: "This card is not linked to a resident." },
  PIN_INCORRECT: { status: 401, message: "The PIN is incorrect." },
  PIN_LOCKED: { status: 423, message: "The PIN is locked." },
} as const satisfies Record<string, { status: number; message: string }>;

export type TErrorCode = keyof typeof errorCodes;
