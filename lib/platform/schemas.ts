import { isSafeText, SAFE_TEXT_MESSAGE, ZSafeText } from "../http/safe-text";
import { z } from "zod";

/**
 * Request and response shapes of the verification platform, shared by lib/platform and
 * the /api/v1 route schemas (convention 7, docs/architecture.md#conventions). Responses never carry raw certificates and
 * carry the four facts only when the caller's scope allows them (convention 12).
 */

/** Standard base64 (RFC 4648 §4), padding required, no whitespace. */
export const ZBase64 = z
  .string()
  .regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, "must be base64 (RFC 4648 §4)");

/** A certificate serial as the platform stores it: lower-case hex, no leading zeros. */
export const ZSerialHex = z.string().regex(/^[0-9a-f]{1,64}$/);

/** Largest SignedData (base64 characters) the API accepts: applications are small. */
export const MAX_SIGNED_DATA_BASE64 = 2 * 1024 * 1024;

export const ZCreateIdentityVerificationRequest = z.strictObject({
  /** CMS SignedData (RFC 5652), DER, base64: attached content, or detached with `content`. */
  signedData: ZBase64.max(MAX_SIGNED_DATA_BASE64),
  /** The signed application bytes (base64) of a detached signature. */
  content: ZBase64.max(MAX_SIGNED_DATA_BASE64).optional(),
  /** Why the partner verifies (shown to the resident in their access log), e.g. 口座開設. */
  purpose: z.string().trim().min(1).max(500),
});
export type TCreateIdentityVerificationRequest = z.infer<typeof ZCreateIdentityVerificationRequest>;

export const ZCheck = z.object({ code: z.string(), ok: z.boolean(), detail: z.string().optional() });

/** The four basic facts (基本4情報, docs/jpki.md#the-four-basic-facts) as the API returns them. */
export const ZFourFactsDto = z.object({
  name: z.string(),
  address: z.string(),
  /** YYYY-MM-DD; absent when the era digit is 0 (unknown). */
  dateOfBirth: z.string().optional(),
  gender: z.enum(["male", "female", "unknown"]),
});
export type TFourFactsDto = z.infer<typeof ZFourFactsDto>;

export const ZIdentityVerification = z.object({
  id: z.uuid(),
  object: z.literal("identity_verification"),
  status: z.enum(["verified", "rejected"]),
  /** Stable error code of the first failed check (rejected only). */
  failureCode: z.string().optional(),
  purpose: z.string(),
  checks: z.array(ZCheck),
  signer: z.object({ issuer: z.string(), serialNumber: ZSerialHex, notAfter: z.iso.datetime() }),
  signingTime: z.iso.datetime().optional(),
  /** SHA-256 (hex) of the signed application. */
  contentSha256: z.string(),
  /** Present only for credentials with the identity:facts scope. */
  facts: ZFourFactsDto.optional(),
  createdAt: z.iso.datetime(),
});
export type TIdentityVerificationDto = z.infer<typeof ZIdentityVerification>;

export const ZCreateWatchRequest = z.strictObject({
  /** A verified identity verification of this partner: its signing certificate is watched. */
  verificationId: z.uuid(),
});

export const ZWatch = z.object({
  id: z.uuid(),
  object: z.literal("watch"),
  verificationId: z.uuid(),
  status: z.enum(["active", "revoked", "cancelled"]),
  certificate: z.object({ issuer: z.string(), serialNumber: ZSerialHex }),
  revokedAt: z.iso.datetime().optional(),
  revocationReason: z.string().optional(),
  lastCheckedAt: z.iso.datetime().optional(),
  createdAt: z.iso.datetime(),
});
export type TWatchDto = z.infer<typeof ZWatch>;

/** Webhook event types. Never rename one: partners' receivers switch on them. */
export const ZWebhookEventType = z.enum([
  /** A watched signing certificate was revoked (docs/jpki.md#revocation reasons; affiliationChanged = facts changed). */
  "certificate.revoked",
  /** A resident approved or refused your link request (lib/links): `data.status` says which. */
  "link_request.decided",
  /** A resident ended their link with you: you can no longer act on their member reference. */
  "link.ended",
  /** A resident signed or declined your signing request: `data.status` (signed, declined); fetch the CMS with GET /api/v1/signing-requests/{id}. */
  "signing_request.decided",
  /** Sent by the test endpoint of the API, to check a receiver. */
  "webhook.test",
]);
export type TWebhookEventType = z.infer<typeof ZWebhookEventType>;

export const ZCreateWebhookEndpointRequest = z.strictObject({
  url: z.url().max(2000).refine(isSafeText, SAFE_TEXT_MESSAGE),
  description: ZSafeText.trim().max(200).optional(),
  /** Event types to receive; empty or absent = all. */
  eventTypes: z.array(ZWebhookEventType).max(20).optional(),
});

export const ZWebhookEndpoint = z.object({
  id: z.uuid(),
  object: z.literal("webhook_endpoint"),
  url: z.string(),
  description: z.string().optional(),
  eventTypes: z.array(ZWebhookEventType),
  active: z.boolean(),
  /** Last 4 characters of the signing secret. */
  secretHint: z.string(),
  /**
   * The mode of the credential that registered it: a TEST endpoint receives only events about
   * sandbox residents and watches, a LIVE one only real ones.
   */
  mode: z.enum(["TEST", "LIVE"]),
  createdAt: z.iso.datetime(),
});
export type TWebhookEndpointDto = z.infer<typeof ZWebhookEndpoint>;

export const ZWebhookDelivery = z.object({
  /** The webhook-id header of every attempt of this delivery. */
  id: z.string(),
  object: z.literal("webhook_delivery"),
  eventId: z.string(),
  eventType: z.string(),
  endpointId: z.uuid(),
  status: z.enum(["pending", "sending", "delivered", "dead"]),
  attempts: z.number().int(),
  nextAttemptAt: z.iso.datetime().optional(),
  lastStatusCode: z.number().int().optional(),
  /** Stable code of the last failure (WEBHOOK_RECEIVER_UNREACHABLE, _TIMEOUT, _REJECTED, WEBHOOK_ADDRESS_FORBIDDEN, SECRET_UNREADABLE). */
  lastError: z.string().optional(),
  deliveredAt: z.iso.datetime().optional(),
  createdAt: z.iso.datetime(),
  log: z
    .array(
      z.object({
        attempt: z.number().int(),
        startedAt: z.iso.datetime(),
        durationMs: z.number().int(),
        statusCode: z.number().int().optional(),
        error: z.string().optional(),
        replay: z.boolean(),
      }),
    )
    .optional(),
});
export type TWebhookDeliveryDto = z.infer<typeof ZWebhookDelivery>;

export const ZCreateTerminalChallengeRequest = z.strictObject({
  /** The partner's own id of the terminal (reader, kiosk), for its records and the audit log. */
  terminalId: z.string().trim().min(1).max(100),
});

export const ZTerminalChallenge = z.object({
  object: z.literal("terminal_challenge"),
  /** 32 random bytes, base64: the card signs hash(origin) ‖ hash(nonce) (Web eID, docs/jpki.md#card-login-web-eid). */
  nonce: z.string(),
  /** The origin the card must sign for (the portal's /terminal pages). */
  origin: z.string(),
  /** Secret of this terminal session: send it back with the answer; never show it. */
  terminalBinding: z.string(),
  expiresAt: z.iso.datetime(),
});
export type TTerminalChallengeDto = z.infer<typeof ZTerminalChallenge>;

export const ZCreateEligibilityCheckRequest = z.strictObject({
  nonce: z.string().min(16).max(200),
  terminalBinding: z.string().min(16).max(200),
  /** The Web eID token the card agent made (JSON text or object): auth certificate, RS256 signature. */
  token: z.union([z.string(), z.record(z.string(), z.unknown())]),
});

export const ZEligibilityCheck = z.object({
  object: z.literal("eligibility_check"),
  /** True when the card is a valid user-authentication card of a resident who linked you, now. */
  eligible: z.boolean(),
  /** Your own reference for the resident (insurance number, bus account…); absent when not linked. */
  member: z.object({ reference: z.string(), linkedAt: z.iso.datetime() }).optional(),
  /**
   * Why not eligible: CARD_UNKNOWN (not a portal user), RECIPIENT_NOT_LINKED (no link to you) or
   * LINK_PURPOSE_NOT_ALLOWED (linked, but not for eligibility checks).
   */
  reason: z.enum(["CARD_UNKNOWN", "RECIPIENT_NOT_LINKED", "LINK_PURPOSE_NOT_ALLOWED"]).optional(),
  checkedAt: z.iso.datetime(),
});
export type TEligibilityCheckDto = z.infer<typeof ZEligibilityCheck>;
