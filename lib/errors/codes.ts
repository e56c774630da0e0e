/**
 * Stable error codes: public contract for the UI, the partner API and outside tools.
 * Add codes freely; never rename or reuse one.
 */
export const errorCodes = {
  /** Input failed its zod schema. */
  VALIDATION_FAILED: { status: 422, message: "The request did not match the schema." },
  /** A string holds U+0000 or an unpaired UTF-16 surrogate (lib/http/safe-text.ts); details.field names it. */
  TEXT_CHARACTER_FORBIDDEN: {
    status: 422,
    message: "A text field contains U+0000 or an unpaired UTF-16 surrogate, which cannot be stored.",
  },
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
  /** A CRL could not be parsed (RFC 5280 §5). */
  CRL_MALFORMED: { status: 400, message: "The CRL could not be parsed." },
  /** A CRL's signature does not verify with its issuer's key, or its issuer is not the expected CA. */
  CRL_SIGNATURE_INVALID: { status: 401, message: "The CRL signature does not verify." },
  /** A CRL's nextUpdate has passed (or thisUpdate is in the future). */
  CRL_STALE: { status: 503, message: "The CRL is out of date." },
  /** An OCSP response could not be parsed (RFC 6960 §4.2). */
  OCSP_MALFORMED: { status: 502, message: "The OCSP response could not be parsed." },
  /** A public key (SubjectPublicKeyInfo) could not be imported. */
  KEY_MALFORMED: { status: 400, message: "The public key could not be parsed." },
  // Conforming-CA rules (lib/jpki/conformance.ts): also ChainCodes in path results and report checks.
  CERT_SERIAL_NOT_POSITIVE: {
    status: 401,
    message: "A certificate on the path has a serial number that is zero or negative (RFC 5280 §4.1.2.2).",
  },
  CERT_SERIAL_TOO_LONG: {
    status: 401,
    message: "A certificate on the path has a serial number longer than 20 octets (RFC 5280 §4.1.2.2).",
  },
  CERT_AKI_MISSING: {
    status: 401,
    message: "A certificate on the path lacks the authority key identifier (RFC 5280 §4.2.1.1).",
  },
  CERT_AKI_CRITICAL: {
    status: 401,
    message: "A certificate on the path marks the authority key identifier critical (RFC 5280 §4.2.1.1).",
  },
  CERT_SKI_MISSING: {
    status: 401,
    message: "A CA certificate on the path lacks the subject key identifier (RFC 5280 §4.2.1.2).",
  },
  CERT_BASIC_CONSTRAINTS_NOT_CRITICAL: {
    status: 401,
    message: "A CA certificate on the path does not mark basic constraints critical (RFC 5280 §4.2.1.9).",
  },
  CERT_NAME_CONSTRAINTS_NOT_CRITICAL: {
    status: 401,
    message: "A certificate on the path does not mark name constraints critical (RFC 5280 §4.2.1.10).",
  },
  CERT_NAME_CONSTRAINTS_NOT_CA: {
    status: 401,
    message: "A certificate on the path that is not a CA carries name constraints (RFC 5280 §4.2.1.10).",
  },
  CERT_NAME_CONSTRAINTS_EMPTY: {
    status: 401,
    message: "A certificate on the path has empty name constraints (RFC 5280 §4.2.1.10).",
  },
  CERT_POLICY_CONSTRAINTS_NOT_CRITICAL: {
    status: 401,
    message: "A certificate on the path does not mark policy constraints critical (RFC 5280 §4.2.1.11).",
  },
  CERT_AIA_CRITICAL: {
    status: 401,
    message: "A certificate on the path marks authority information access critical (RFC 5280 §4.2.2.1).",
  },
  CERT_KEY_CERT_SIGN_NOT_CA: {
    status: 401,
    message: "A certificate on the path allows keyCertSign without being a CA (RFC 5280 §4.2.1.3).",
  },
  CERT_EKU_EMPTY: {
    status: 401,
    message: "A certificate on the path has an extended key usage listing no purpose (RFC 5280 §4.2.1.12).",
  },
  CERT_CA_SUBJECT_EMPTY: {
    status: 401,
    message: "A CA certificate on the path has an empty subject (RFC 5280 §4.1.2.6).",
  },
  CERT_EMPTY_SUBJECT_SAN_NOT_CRITICAL: {
    status: 401,
    message: "A certificate on the path has an empty subject without a critical subjectAltName (RFC 5280 §4.1.2.6).",
  },
  CERT_DNS_NAME_INVALID: {
    status: 401,
    message: "A certificate on the path has a DNS name that is not valid syntax (RFC 5280 §4.2.1.6).",
  },
  CERT_RFC822_NAME_INVALID: {
    status: 401,
    message: "A certificate on the path has an e-mail name that is not valid syntax (RFC 5280 §4.2.1.6).",
  },
  /** A CRL without a cRLNumber (RFC 5280 §5.2.3): not used. */
  CRL_NUMBER_MISSING: { status: 400, message: "The CRL has no CRL number (RFC 5280 §5.2.3)." },
  /** A CRL whose cRLNumber is marked critical (RFC 5280 §5.2.3): not used. */
  CRL_NUMBER_CRITICAL: { status: 400, message: "The CRL marks its CRL number critical (RFC 5280 §5.2.3)." },
  // --- Simulated J-LIS (jlis-sim) ---
  /** A signing certificate was requested for a holder under 15 (docs/jpki.md#signing-certificate). */
  JLIS_HOLDER_UNDER_15: { status: 422, message: "No signing certificate is issued to a holder under 15." },
  /** The simulated J-LIS has no CAs yet (run `npm run jpki -- init`). */
  JLIS_NOT_INITIALIZED: { status: 503, message: "The simulated J-LIS is not initialized." },
  /** No resident with this reference is known to the simulated J-LIS. */
  JLIS_RESIDENT_UNKNOWN: { status: 404, message: "The resident is unknown to J-LIS." },
  /** No certificate with this serial was issued by the simulated J-LIS. */
  JLIS_CERT_UNKNOWN: { status: 404, message: "The certificate is unknown to J-LIS." },
  /** The operation needs active certificates, and the resident's are revoked. */
  JLIS_CERT_NOT_ACTIVE: { status: 409, message: "The certificate is not active." },
  /** The resident has not consented to giving their latest four facts to verifiers. */
  JLIS_CONSENT_MISSING: { status: 403, message: "The resident has not consented to share the latest four facts." },
  /** Missing or wrong verifier credentials on a J-LIS endpoint. */
  JLIS_VERIFIER_UNAUTHORIZED: { status: 401, message: "Registered verifier credentials are required." },
  // --- Card login ---
  CHALLENGE_EXPIRED: { status: 401, message: "The login challenge has expired." },
  CHALLENGE_REPLAYED: { status: 401, message: "The login challenge was already used." },
  CHALLENGE_UNKNOWN: { status: 401, message: "The login challenge is unknown." },
  ORIGIN_MISMATCH: { status: 401, message: "The signed origin does not match this portal." },
  CARD_UNKNOWN: { status: 401, message: "This card is not linked to a resident." },
  /** First login: the four facts on the signing certificate match no single resident of the registry. */
  CARD_FACTS_MISMATCH: { status: 409, message: "The card's four basic facts do not match a resident record." },
  /** First login: J-LIS links the signing certificate to another card, or the card is bound to someone else. */
  CARD_BINDING_MISMATCH: { status: 409, message: "The certificates do not belong to the same card and resident." },
  /** QR cross-device login: the phone has not approved yet. */
  CROSS_DEVICE_PENDING: { status: 409, message: "The login has not been approved on the other device yet." },
  PIN_INCORRECT: { status: 401, message: "The PIN is incorrect." },
  PIN_LOCKED: { status: 423, message: "The PIN is locked." },
  // --- Card agent (card-agent/) ---
  /** A virtual card file is unreadable or not in format ichimai-virtual-card/1. */
  VIRTUAL_CARD_INVALID: { status: 400, message: "The virtual card file is not valid." },
  /** A PIN does not follow the card's rules (docs/jpki.md#pins-and-lock-counts: auth 4 digits; sign 6–16 A–Z0–9 with a letter and a digit). */
  PIN_FORMAT_INVALID: { status: 400, message: "The PIN does not have the required format." },
  /** A private-key operation was asked for before the slot's PIN was verified. */
  PIN_NOT_VERIFIED: { status: 401, message: "The PIN has not been verified." },
  /** The card agent refused a request (bad origin, pairing denied, unknown token). */
  CARD_AGENT_REFUSED: { status: 403, message: "The card agent refused the request." },
  // --- Audit log (lib/audit) ---
  /** appendAuditEvent was given the root client: the chain lock needs the caller's transaction. */
  AUDIT_NOT_IN_TRANSACTION: { status: 500, message: "Audit events must be appended inside a transaction." },
  // --- Partner credentials (lib/partners) ---
  /** Unknown client id or wrong secret (deliberately the same code for both). */
  PARTNER_CREDENTIAL_INVALID: { status: 401, message: "The partner credentials are not valid." },
  /** The credential was revoked by the partner or by staff. */
  PARTNER_CREDENTIAL_REVOKED: { status: 401, message: "The partner credential has been revoked." },
  /** The credential is past its expiry date. */
  PARTNER_CREDENTIAL_EXPIRED: { status: 401, message: "The partner credential has expired." },
  /** The partner has been deactivated by municipal staff. */
  PARTNER_INACTIVE: { status: 403, message: "The partner is not active." },
  /** A credential asked for a scope that municipal staff have not approved for the partner. */
  PARTNER_SCOPE_NOT_APPROVED: { status: 403, message: "The scope is not approved for this partner." },
  /** Partner console login: unknown e-mail or wrong password (deliberately one code for both). */
  PARTNER_LOGIN_INVALID: { status: 401, message: "The e-mail address or password is not correct." },
  /** Partner console login: too many failed attempts; try again later. */
  PARTNER_LOGIN_LOCKED: { status: 423, message: "Too many failed logins. Try again later." },
  /** The credential was already revoked or replaced, so it cannot be rotated. */
  PARTNER_CREDENTIAL_NOT_ROTATABLE: { status: 409, message: "The credential is revoked or already replaced." },
  /** The partner console user's role does not allow this action (e.g. a DEVELOPER issuing a credential). */
  PARTNER_ROLE_FORBIDDEN: { status: 403, message: "Your role in the partner console does not allow this." },
  /** The change would leave the partner without an active OWNER. */
  PARTNER_LAST_OWNER: { status: 409, message: "The partner must keep at least one active owner." },
  /** A partner console user with this e-mail address already exists. */
  PARTNER_USER_EMAIL_TAKEN: { status: 409, message: "A console user with this e-mail address already exists." },
  /** Change password: the current password is wrong (counted against the account like a failed login). */
  PARTNER_PASSWORD_CURRENT_INVALID: { status: 403, message: "The current password is not correct." },
  /** Change password: the new password is the current one. */
  PARTNER_PASSWORD_UNCHANGED: { status: 422, message: "The new password must differ from the current one." },
  /** An OWNER tried to reset their own password from the users page; they change it on the change-password page. */
  PARTNER_PASSWORD_RESET_SELF: {
    status: 403,
    message: "You cannot reset your own password; change it on the change-password page.",
  },
  /** A scope request was already approved or rejected. */
  SCOPE_REQUEST_NOT_PENDING: { status: 409, message: "The scope request has already been decided." },
  // --- Mailbox (lib/mailbox, /api/v1/documents) ---
  /** The document type id is not in the registry (lib/mailbox/document-types). */
  DOCUMENT_TYPE_UNKNOWN: { status: 422, message: "The document type is unknown." },
  /** The issuer's detached CMS signature over the canonical payload is missing, malformed or does not verify. */
  DOCUMENT_SIGNATURE_INVALID: { status: 422, message: "The issuer signature over the document does not verify." },
  /** The issuer's signing certificate is revoked (the partner CA's CRL lists it). */
  DOCUMENT_ISSUER_REVOKED: { status: 422, message: "The issuer's signing certificate has been revoked." },
  /** The signing certificate belongs to another organisation than the delivering partner. */
  DOCUMENT_ISSUER_MISMATCH: { status: 422, message: "The document is signed by another organisation than the sender." },
  /** No resident has linked the partner under this reference (deliberately one code for unknown and unlinked). */
  RECIPIENT_NOT_LINKED: { status: 403, message: "No resident has linked this partner under this reference." },
  /** Only the municipality may address residents by registry number. */
  RECIPIENT_ADDRESSING_FORBIDDEN: { status: 403, message: "This partner may not address residents this way." },
  /** The idempotency key was used before with a different request body. */
  IDEMPOTENCY_KEY_REUSED: { status: 409, message: "The idempotency key was used with a different request." },
  /** An attachment is larger than allowed. */
  ATTACHMENT_TOO_LARGE: { status: 413, message: "An attachment is too large." },
  /** An attachment's content is not one of the accepted file types (PDF, PNG, JPEG). */
  ATTACHMENT_TYPE_UNSUPPORTED: { status: 415, message: "The attachment type is not accepted." },
  /** An attachment's content does not match its declared MIME type (a disguised file). */
  ATTACHMENT_TYPE_MISMATCH: { status: 415, message: "The attachment content does not match its declared type." },
  /** The partner reference is already linked to another resident. */
  PARTNER_REF_TAKEN: { status: 409, message: "The partner reference is already linked to another resident." },
  // --- Member links (lib/mailbox/link-purposes.ts, lib/links) ---
  /** The resident's link with the partner exists but was not given for this purpose (deliver, eligibility, notify). */
  /** This kiosk's mode (e.g. an ambulance reader) does not offer linking on the spot. */
  TERMINAL_LINK_NOT_OFFERED: { status: 403, message: "This terminal does not offer linking." },
  LINK_PURPOSE_NOT_ALLOWED: { status: 403, message: "The resident's link does not allow this purpose." },
  /** The partner is not approved for a scope a requested purpose needs (deliver: documents:deliver, eligibility: eligibility:verify). */
  LINK_PURPOSE_NOT_APPROVED: { status: 403, message: "Your partner account is not approved for a requested purpose." },
  /** The identity verification is unknown, another partner's, not VERIFIED, or of no portal resident. */
  LINK_VERIFICATION_INVALID: { status: 422, message: "The identity verification cannot address a link request." },
  /** The resident already has an active link with this partner. */
  LINK_ALREADY_EXISTS: { status: 409, message: "The resident is already linked to this partner." },
  /** No pending link request has this claim code (mistyped, used or unknown). */
  LINK_CLAIM_CODE_INVALID: { status: 404, message: "No pending link request has this code." },
  /** The link request (or its claim code) has expired. */
  LINK_REQUEST_EXPIRED: { status: 410, message: "The link request has expired." },
  /** The link request was already approved or refused. */
  LINK_REQUEST_DECIDED: { status: 409, message: "The link request was already decided." },
  /** The partner asked for a signature: approve by signing the consent with the card's signing certificate. */
  LINK_SIGNATURE_REQUIRED: { status: 409, message: "This link request must be approved with a card signature." },
  /** A signature offered for a link request that does not ask for one. */
  LINK_SIGNATURE_NOT_REQUESTED: {
    status: 409,
    message: "This link request is approved with a card login, not a signature.",
  },
  /** The signature is not over the link request's consent content. */
  LINK_CONSENT_CONTENT_MISMATCH: { status: 422, message: "The signature is not over this link request's consent." },
  /** The signing certificate of a link consent is not the resident's own. */
  LINK_CONSENT_SIGNER_MISMATCH: { status: 403, message: "The signing certificate is not yours." },
  /** A document can be shared only with a partner the resident has linked. */
  SHARE_PARTNER_NOT_LINKED: { status: 403, message: "The document can only be shared with a linked partner." },
  /** No share with this id or token is open to the caller. */
  SHARE_NOT_FOUND: { status: 404, message: "No such share." },
  /** The share is past its expiry. */
  SHARE_EXPIRED: { status: 410, message: "The share has expired." },
  /** The resident revoked the share. */
  SHARE_REVOKED: { status: 410, message: "The share was revoked." },
  /** A one-time link was already used. */
  SHARE_USED: { status: 410, message: "The one-time link was already used." },
  // --- Verification platform (lib/platform, /api/v1 identity-verifications, watches, webhook-endpoints) ---
  /** A watch needs a VERIFIED identity verification of the same partner. */
  WATCH_VERIFICATION_INVALID: {
    status: 422,
    message: "Only a verified identity verification of this partner can be watched.",
  },
  /** A webhook URL must be absolute http(s) without credentials (https outside development). */
  WEBHOOK_URL_INVALID: { status: 422, message: "The webhook URL is not acceptable." },
  /** Only a delivery that is not delivered and not being sent can be replayed. */
  WEBHOOK_DELIVERY_NOT_REPLAYABLE: { status: 409, message: "This webhook delivery cannot be replayed now." },
  /** Delivery log: the receiver could not be reached (connection refused, DNS, TLS). */
  WEBHOOK_RECEIVER_UNREACHABLE: { status: 502, message: "The webhook receiver could not be reached." },
  /** Delivery log: the receiver did not answer within the timeout. */
  WEBHOOK_RECEIVER_TIMEOUT: { status: 504, message: "The webhook receiver did not answer in time." },
  /** Registration and delivery log: the receiver's host name resolves to (or is) a loopback, private, link-local or otherwise non-public address. */
  WEBHOOK_ADDRESS_FORBIDDEN: { status: 422, message: "The webhook receiver's address is not a public address." },
  /** Registration: the webhook URL's host name does not resolve (no such name, or no answer in time). */
  WEBHOOK_HOST_UNRESOLVABLE: { status: 422, message: "The webhook URL's host name could not be resolved." },
  /** A secret stored encrypted (e.g. a webhook signing secret) could not be decrypted: wrong SECRETS_ENCRYPTION_KEY or tampered data. */
  SECRET_UNREADABLE: { status: 500, message: "A stored secret could not be decrypted." },
  /** Delivery log: the receiver answered with a status other than 2xx. */
  WEBHOOK_RECEIVER_REJECTED: { status: 502, message: "The webhook receiver answered with an error status." },
  /** A TEST credential reached for a real resident or card, or a LIVE one for the sandbox (lib/partners/credential-mode.ts). */
  CREDENTIAL_MODE_MISMATCH: {
    status: 403,
    message: "TEST credentials reach only the sandbox, LIVE credentials only real residents and cards.",
  },
  // --- Proxies and consent (lib/proxies, lib/consent) ---
  /** The caller holds no working proxy grant for this resident (none, revoked, expired or frozen: one code, so nothing leaks). */
  PROXY_NOT_AUTHORIZED: { status: 403, message: "You are not a proxy for this resident." },
  /** No resident has this registry number and date of birth (proxy grant). */
  PROXY_CANDIDATE_NOT_FOUND: { status: 404, message: "No resident matches this registry number and date of birth." },
  /** A resident cannot be their own proxy. */
  PROXY_SELF_GRANT: { status: 422, message: "You cannot be your own proxy." },
  /** The protected-person setting is on: no proxy may be granted until it is turned off. */
  PROXY_PRINCIPAL_PROTECTED: { status: 409, message: "Proxies are frozen by the protected-person setting." },
  /** The grant allows reading only. */
  PROXY_READ_ONLY: { status: 403, message: "This proxy grant allows reading only." },
  // --- Mailbox bulk delivery (lib/mailbox/deliver-bulk.ts) ---
  /** The request body has a media type the endpoint does not take (bulk delivery wants application/x-ndjson). */
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: "The request body has an unsupported media type." },
  /** A bulk line passed every check but the database refused its row (a data or constraint error): it cannot be delivered as sent. */
  DOCUMENT_NOT_STORABLE: { status: 422, message: "The document passed its checks but could not be stored as sent." },
  /** A bulk delivery stopped on a database fault before this line was written: send it again with the same idempotency key. */
  DELIVERY_NOT_STORED: {
    status: 503,
    message: "Not stored: the delivery stopped on a server fault first. Send it again with the same idempotency key.",
  },
  // --- Partner terminals (lib/platform/terminals) ---
  /** The kiosk holds no device token, or one no active terminal device has (enrol it first). */
  TERMINAL_NOT_ENROLLED: { status: 401, message: "This terminal is not enrolled." },
  /** The enrolment code is unknown, was used already, or has expired (register the device again). */
  TERMINAL_ENROLMENT_INVALID: { status: 401, message: "The terminal enrolment code is not valid." },
  /** The device was disabled, its partner is inactive, or the partner lacks eligibility:verify. */
  TERMINAL_DISABLED: { status: 403, message: "This terminal may not check cards." },
  /** A terminal tap was answered without the kiosk's challenge (no tap in progress on this kiosk). */
  TERMINAL_TAP_NOT_STARTED: { status: 409, message: "No card tap was started on this terminal." },
  // --- Emergency medical history (lib/services/emergency) ---
  /** The terminal's partner is not approved for emergency:read, or its mode is not AMBULANCE or HOSPITAL. */
  EMERGENCY_SCOPE_MISSING: { status: 403, message: "This terminal may not read emergency medical histories." },
  /** The resident has not consented (or withdrew the consent) to this audience reading after a tap with the PIN. */
  EMERGENCY_CONSENT_MISSING: { status: 403, message: "The resident has not consented to this reading." },
  /** The resident refused break-glass reads for this audience. */
  EMERGENCY_BREAK_GLASS_REFUSED: { status: 403, message: "The resident refused break-glass reads." },
  /** A break-glass read needs a reason: a category and a free-text explanation. */
  EMERGENCY_REASON_REQUIRED: { status: 422, message: "A break-glass read needs a reason (category and text)." },
  /** The break-glass window (30 minutes, this terminal, this resident) is over or unknown. */
  EMERGENCY_BREAK_GLASS_EXPIRED: { status: 410, message: "The break-glass access has expired." },
  /** The card is not bound to a resident of the portal (or its certificate is not the bound one). */
  EMERGENCY_CARD_UNKNOWN: { status: 404, message: "This card is not known to the portal." },
  // --- Community bus (lib/services/bus) ---
  /** The resident has not linked the bus operator (no member reference, no ride). */
  BUS_NOT_LINKED: { status: 403, message: "The resident has not linked this bus operator." },
  /** No ticket book with rides left and no pass valid now: the ride is refused. */
  BUS_NO_VALID_PRODUCT: { status: 409, message: "No ticket book with rides left and no valid pass." },
  /** The ticket book is empty (every ride taken). */
  BUS_BOOK_EMPTY: { status: 409, message: "The ticket book has no rides left." },
  /** The pass has expired (or is not valid yet). */
  BUS_PASS_EXPIRED: { status: 409, message: "The pass is not valid now." },
  /** The product is unknown, inactive or another operator's. */
  BUS_PRODUCT_UNKNOWN: { status: 404, message: "No such bus product." },
  /** The resident has not agreed to share the eligibility this product requires with the operator. */
  BUS_ELIGIBILITY_NOT_SHARED: {
    status: 403,
    message: "The eligibility this product requires is not shared with the operator.",
  },
  /** The eligibility this product requires does not hold now (age, or no valid disability certificate). */
  BUS_NOT_ELIGIBLE: { status: 403, message: "The resident does not meet this product's eligibility." },
  /** An offline ride record with this device sequence number or nonce was accepted before: not counted again. */
  BUS_OFFLINE_RECORD_REPLAYED: { status: 409, message: "This offline ride record was accepted before." },
  /** The offline ride record's signature does not verify under a key of this device. */
  BUS_OFFLINE_SIGNATURE_INVALID: { status: 422, message: "The offline ride record's signature does not verify." },
  /** The offline ride record names a device (or key) that is not this enrolled device's. */
  BUS_OFFLINE_DEVICE_UNKNOWN: { status: 403, message: "The offline ride record is from an unknown device." },
  /** The card of an offline ride record is not bound to any resident linked to the operator. */
  BUS_OFFLINE_CARD_UNKNOWN: { status: 422, message: "The offline ride record's card is not a linked resident's." },
  /** The operator has no receipt-signing key registered: rides are taken, receipts wait. */
  BUS_RECEIPT_SIGNER_MISSING: { status: 503, message: "The bus operator has no receipt-signing key." },
  // --- Administrative applications (lib/services/applications) ---
  /** The signed content is not an application this portal prepared for you (not canonical JSON, another applicant, too old, or unknown fields). */
  APPLICATION_CONTENT_INVALID: { status: 422, message: "The signed content is not an application prepared for you." },
  /** The application was signed with a signing certificate that is not the logged-in resident's. */
  APPLICATION_SIGNER_MISMATCH: { status: 403, message: "The application was signed with someone else's certificate." },
  /** This signed content was submitted before, or the revision is not the next one. */
  APPLICATION_ALREADY_SUBMITTED: { status: 409, message: "This application was already submitted." },
  /** Only an application staff returned can be corrected and signed again. */
  APPLICATION_NOT_RETURNED: { status: 409, message: "Only a returned application can be submitted again." },
  /** The application was approved or returned already (approved and fulfilled: nothing more to do). */
  APPLICATION_ALREADY_DECIDED: { status: 409, message: "The application was already decided." },
  /** A person named in the application is not a current member of the applicant's household. */
  APPLICATION_HOUSEHOLD_MISMATCH: { status: 422, message: "A person named is not a member of your household." },
  /** The district code of a move is not one of the town's districts. */
  APPLICATION_DISTRICT_UNKNOWN: { status: 422, message: "The district is not one of the town's districts." },
  /** The municipality's signing identity (TOWN_SIGNER_DIR) is not set up, so documents cannot be issued. */
  TOWN_SIGNER_UNAVAILABLE: { status: 503, message: "The town cannot sign documents right now." },
  // --- Hospital flow (lib/services/hospital) ---
  /** The health insurer reports the member's insurance as lapsed (資格喪失) or outside its coverage period. */
  INSURANCE_LAPSED: { status: 422, message: "The health insurance has lapsed (資格喪失)." },
  /** The insurance could not be confirmed (確認できません): the insurer did not answer, its roster is stale, or it holds no entry. Never treat as eligible. */
  INSURANCE_UNKNOWN: { status: 503, message: "The health insurance could not be confirmed." },
  /** The visit's care was recorded before with another record; a visit is recorded once. */
  VISIT_ALREADY_RECORDED: { status: 409, message: "This visit was already recorded with other values." },
  // --- Payment (lib/services/payment, lib/services/hospital/charge-visit.ts) ---
  /** The visit's care is not recorded yet: there is nothing to charge. */
  VISIT_NOT_RECORDED: { status: 409, message: "This visit's care is not recorded yet." },
  /** The patient has no payment method linked at the payment processor; the visit stays payable. */
  PAYMENT_METHOD_MISSING: { status: 409, message: "The patient has no linked payment method." },
  /** The payment processor declined the charge; nothing was paid and the visit stays payable. */
  PAYMENT_DECLINED: { status: 402, message: "The payment was declined." },
  /** The payment processor could not be reached or failed; nothing was recorded as paid. Try again later. */
  PAYMENT_UNAVAILABLE: {
    status: 503,
    message: "The payment processor is unavailable; nothing was charged. Try again later.",
  },
  /** The payment link came back with an unknown, used or expired state or registration reference; start it again. */
  PAYMENT_LINK_INVALID: { status: 400, message: "The payment method link is not valid; start it again." },
  // --- Partner signing requests (lib/services/signing-requests) ---
  /** No member link was ever made under this partnerRef: the resident cannot be addressed by it. */
  PARTNER_REF_UNKNOWN: { status: 404, message: "No resident is linked to you under this reference." },
  /** The signing request passed its expiry before the resident acted; ask again with a new request. */
  SIGNING_REQUEST_EXPIRED: { status: 410, message: "The signing request has expired." },
  /** The resident already signed or declined the signing request. */
  SIGNING_REQUEST_DECIDED: { status: 409, message: "The signing request was already signed or declined." },
  /** The signature is not over the exact content of the signing request. */
  SIGNING_REQUEST_CONTENT_MISMATCH: { status: 422, message: "The signature is not over this request's content." },
  /** The signing certificate is not the resident's own (no binding, no J-LIS link). */
  SIGNING_REQUEST_SIGNER_MISMATCH: { status: 403, message: "The signing certificate is not yours." },
  // --- Disaster response (lib/disaster) ---
  /** No evacuation order has this id. */
  DISASTER_ORDER_NOT_FOUND: { status: 404, message: "No such evacuation order." },
  /** The order was lifted: it takes no more safety replies or changes. */
  DISASTER_ORDER_LIFTED: { status: 409, message: "The evacuation order has been lifted." },
  /** The resident does not live in the order's district. */
  DISASTER_NOT_IN_ORDER_AREA: { status: 403, message: "The evacuation order is not for this resident's district." },
  // --- Shelters (lib/disaster/shelters) ---
  /** No shelter has this id or code, or the kiosk's label names no shelter of its partner. */
  SHELTER_NOT_FOUND: { status: 404, message: "No such shelter." },
  /** The shelter is closed: it checks no one in. */
  SHELTER_CLOSED: { status: 409, message: "The shelter is closed." },
  /** The resident is already checked in (here, or at another shelter: move them with a transfer). Never counted twice. */
  SHELTER_ALREADY_CHECKED_IN: { status: 409, message: "The resident is already checked in at a shelter." },
  /** The resident is not checked in at any shelter: nothing to check out or transfer. */
  SHELTER_NOT_CHECKED_IN: { status: 409, message: "The resident is not checked in at a shelter." },
  /** A companion checked in without a card must be a household member under 15 of a resident who just checked in here. */
  SHELTER_COMPANION_NOT_ALLOWED: {
    status: 403,
    message: "Only a household member under 15 may be checked in with the resident who just tapped.",
  },
  // --- Staff console: residents, registry events, protected persons (lib/services/residents, lib/protection) ---
  /** Opening a resident's record in the staff console needs a stated purpose (a standard one, or "other" with its text). */
  STAFF_PURPOSE_REQUIRED: { status: 422, message: "State the purpose of opening this resident's record." },
  /** The registry event does not fit the resident's record (e.g. a resident who already left, a name unchanged). */
  REGISTRY_EVENT_NOT_APPLICABLE: {
    status: 409,
    message: "This registry event does not apply to the resident's record.",
  },
  /** The resident is already under protection (支援措置); lift the current period first. */
  PROTECTION_ALREADY_SET: { status: 409, message: "The resident is already a protected person." },
  /** The resident is not under protection: there is nothing to lift. */
  PROTECTION_NOT_SET: { status: 409, message: "The resident is not a protected person." },
  // --- Partner onboarding and the audit viewer (lib/partners/onboard-partner.ts, lib/audit/audit-viewer.ts) ---
  /** The 法人番号 (corporate number) is not 13 digits with a valid check digit. */
  PARTNER_CORPORATE_NUMBER_INVALID: { status: 422, message: "The corporate number (法人番号) is not valid." },
  /** Another partner is already registered with this 法人番号 or slug. */
  PARTNER_ALREADY_REGISTERED: {
    status: 409,
    message: "A partner with this corporate number or slug is already registered.",
  },
  /** The certificate signing request (PKCS#10) is not PEM/DER, or its self-signature does not verify. */
  PARTNER_CSR_INVALID: { status: 422, message: "The certificate signing request is not valid." },
  /** The partner CA could not be reached or refused to issue; nothing was registered. Try again later. */
  PARTNER_CA_UNAVAILABLE: { status: 503, message: "The partner CA is unavailable; nothing was registered." },
  /** The console invitation link is unknown, used or expired; ask the municipality for a new one. */
  PARTNER_INVITATION_INVALID: { status: 410, message: "The invitation link is not valid any more." },
  /** Only staff with the AUDITOR or ADMIN role read the audit log. */
  AUDIT_VIEWER_FORBIDDEN: { status: 403, message: "Only auditors and administrators may read the audit log." },
  // --- Bulk notices of the staff console (lib/bulk-notices) ---
  /** The uploaded CSV is larger than the limit (2 MB). */
  NOTICE_CSV_TOO_LARGE: { status: 413, message: "The CSV file is too large (at most 2 MB)." },
  /** The CSV has more data lines than one sending may have (10,000). */
  NOTICE_CSV_TOO_MANY_LINES: { status: 413, message: "The CSV has too many lines (at most 10,000)." },
  /** The CSV is not valid UTF-8 (with or without BOM); save it as "CSV UTF-8", or choose Shift_JIS when uploading. */
  NOTICE_CSV_NOT_UTF8: {
    status: 422,
    message: "The CSV is not UTF-8. Save it as CSV UTF-8, or choose Shift_JIS when uploading.",
  },
  /** The CSV was declared Shift_JIS but is not valid Shift_JIS. */
  NOTICE_CSV_NOT_SHIFT_JIS: { status: 422, message: "The CSV is not valid Shift_JIS." },
  /** The CSV cannot be read: unbalanced quotes, or no header row whose first column is the registry number. */
  NOTICE_CSV_INVALID: {
    status: 422,
    message: "The CSV cannot be read; its first row must be a header starting with registryNumber.",
  },
  /** The CSV has a header but no data lines. */
  NOTICE_CSV_EMPTY: { status: 422, message: "The CSV has no lines to send." },
  /** The notice's text uses a {{variable}} that is neither a CSV column nor a registry field. */
  NOTICE_TEMPLATE_VARIABLE_UNKNOWN: {
    status: 422,
    message: "The notice uses a {{variable}} that is not a column of the CSV.",
  },
  /** No bulk notice has this id. */
  NOTICE_BATCH_NOT_FOUND: { status: 404, message: "No such bulk notice." },
  /** The bulk notice is not in a state that allows this (already approved, running, finished or cancelled). */
  NOTICE_BATCH_STATE: { status: 409, message: "The bulk notice cannot be changed in its current state." },
  /** The staff member who uploaded a bulk notice cannot approve it: a second person must. */
  NOTICE_APPROVER_IS_UPLOADER: { status: 403, message: "Another supervisor must approve this sending." },
  /** A line's registry number names no resident of the registry. */
  NOTICE_RESIDENT_UNKNOWN: { status: 404, message: "No resident has this registry number." },
  /** A line's resident has left the town (moved out or died); nothing is sent. */
  NOTICE_RESIDENT_MOVED_OUT: { status: 410, message: "The resident has left the town." },
  /** A line repeats the registry number of an earlier line; only the first is sent. */
  NOTICE_LINE_DUPLICATE: { status: 409, message: "This registry number is on an earlier line." },
  /** A line holds characters that cannot be sent (control characters, NUL, lone surrogates). */
  NOTICE_LINE_BAD_CHARACTERS: { status: 422, message: "The line holds characters that cannot be sent." },
  /** A line's registry number is empty or malformed, or the line has the wrong number of columns. */
  NOTICE_LINE_MALFORMED: { status: 422, message: "The line is malformed (registry number or columns)." },
  /** A variable the notice uses is empty on this line. */
  NOTICE_VARIABLE_MISSING: { status: 422, message: "A value the notice needs is empty on this line." },
  // --- Resident reports, Open311 and probe data (lib/reports) ---
  /** The report's point lies outside the town's districts. */
  REPORT_LOCATION_OUTSIDE: { status: 422, message: "The location is outside the town." },
  /** The photo is not a JPEG, PNG or WebP image (checked by its content, not its name). */
  REPORT_PHOTO_UNSUPPORTED: { status: 415, message: "The photo must be a JPEG, PNG or WebP image." },
  /** The photo is larger than the upload limit. */
  REPORT_PHOTO_TOO_LARGE: { status: 413, message: "The photo is too large." },
  /** No report with this id, or not one you may see (a wrong tracking token looks the same). */
  REPORT_NOT_FOUND: { status: 404, message: "No such report." },
  /** The status change does not follow open → acknowledged → in progress → closed. */
  REPORT_STATUS_TRANSITION_INVALID: { status: 409, message: "The report cannot move to this status." },
  /** Only a road-damage report can close a road segment, and only one matched to a segment. */
  REPORT_NOT_ROAD_DAMAGE: { status: 409, message: "This report cannot close a road segment." },
  /** No road segment has this code or id. */
  ROAD_SEGMENT_NOT_FOUND: { status: 404, message: "No such road segment." },
  /** A probe batch holds more points than allowed per request. */
  PROBE_BATCH_TOO_LARGE: { status: 413, message: "Too many probe points in one batch." },
  /** A probe point's time is in the future or too old to count. */
  PROBE_POINT_TIME_INVALID: { status: 422, message: "A probe point's time is in the future or too old." },
  /** The resident is already a traffic monitor (or is not one, when withdrawing). */
  TRAFFIC_MONITOR_STATE: { status: 409, message: "The traffic monitor setting is already so." },
  /** An Open311 service_code that the town does not offer. */
  OPEN311_SERVICE_UNKNOWN: { status: 404, message: "No such Open311 service." },
  // --- TV and set-top boxes (lib/disaster/set-top-box.ts, app/tv) ---
  /** The device token belongs to no enrolled, active set-top box of a cable-TV operator. */
  SET_TOP_BOX_UNKNOWN: { status: 401, message: "This set-top box is not enrolled." },
  /** Boxes are enrolled only for an active partner of kind CATV_OPERATOR. */
  SET_TOP_BOX_PARTNER_INVALID: {
    status: 403,
    message: "Set-top boxes are enrolled by an active cable-TV operator only.",
  },
  /** The box is not in the resident's own household. */
  SET_TOP_BOX_NOT_IN_HOUSEHOLD: { status: 403, message: "This set-top box is not in your household." },
  // --- Evacuation orders (lib/disaster/orders) ---
  /** No district has this id or code. */
  DISASTER_DISTRICT_UNKNOWN: { status: 422, message: "No such district." },
  /** The alert level is not one of Japan's five (警戒レベル1–5). */
  DISASTER_LEVEL_INVALID: { status: 422, message: "The alert level must be 1 to 5." },
  /** The district already has an active order for this hazard: raise or lower that one instead. */
  DISASTER_ORDER_ALREADY_ACTIVE: {
    status: 409,
    message: "This district already has an active order for this hazard; raise or lower it instead.",
  },
  /** The order is already at this level: nothing to raise or lower. */
  DISASTER_LEVEL_UNCHANGED: { status: 409, message: "The order is already at this level." },
  // --- Single sign-on: ichimai as an OpenID Provider (lib/oidc, docs/sso.md) ---
  /** A client with this client_id is already registered. */
  OIDC_CLIENT_EXISTS: { status: 409, message: "A relying party with this client ID already exists." },
  /** No relying party has this client_id. */
  OIDC_CLIENT_NOT_FOUND: { status: 404, message: "No such relying party." },
  /** The resident has no standing consent for this relying party. */
  OIDC_CONSENT_NOT_FOUND: { status: 404, message: "There is no consent for this service to withdraw." },
  /** The sign-on step is unknown or expired (10 minutes); start again at the service. */
  OIDC_INTERACTION_NOT_FOUND: {
    status: 404,
    message: "This sign-on request is unknown or has expired; start again at the service.",
  },
  /** The portal login does not satisfy the request (none, another resident, passkey where a card login is required, too old). */
  OIDC_LOGIN_REQUIRED: { status: 401, message: "Log in with your card to continue the sign-on." },
  /** A consent was submitted for a claim the service did not ask for (or may not ask for). */
  OIDC_CLAIM_NOT_REQUESTED: { status: 422, message: "The service did not ask for this information." },
  // --- Card counter (窓口): card issuing and PIN unlock at J-LIS's counter system (lib/services/residents/card-counter.ts) ---
  /** J-LIS knows no card of the resident, or the card is not at the counter (its file is not in the counter's cards directory). */
  COUNTER_CARD_NOT_FOUND: { status: 404, message: "No card of this resident is at the counter." },
  /** The PIN still has tries left: there is nothing to unlock. */
  COUNTER_PIN_NOT_LOCKED: { status: 409, message: "This PIN is not locked." },
  /** J-LIS offers no counter service here (the simulator has no cards directory configured). */
  COUNTER_UNAVAILABLE: { status: 503, message: "The card counter service of J-LIS is not available." },
  /** J-LIS knows neither the resident nor the municipality code the counter gave for a new card. */
  COUNTER_MUNICIPALITY_UNKNOWN: { status: 422, message: "J-LIS does not know this municipality." },
} as const satisfies Record<string, { status: number; message: string }>;

export type TErrorCode = keyof typeof errorCodes;
