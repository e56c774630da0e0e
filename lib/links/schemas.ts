import { z } from "zod";
import { ZSafeText } from "../http/safe-text";
import { ZLinkPurpose } from "../mailbox/link-purposes";

/** How long a link request (and its claim code) stays open. */
export const LINK_REQUEST_TTL_DAYS = 30;

/** POST /api/v1/link-requests: a partner proposes a link to a resident. */
export const ZCreateLinkRequestRequest = z.strictObject({
  /** Your own reference for the resident (member, insured or customer number); unique per partner. */
  partnerRef: ZSafeText.trim().min(1).max(100),
  /** What the link will allow: deliver documents, check eligibility at terminals, notify you of changes. */
  purposes: z
    .array(ZLinkPurpose)
    .min(1)
    .max(ZLinkPurpose.options.length)
    .refine((a) => new Set(a).size === a.length, { message: "purposes must not repeat" }),
  /** Why, in your words; shown to the resident as is (e.g. 保険証の資格確認と通知の送付). */
  purposeText: ZSafeText.trim().min(1).max(200),
  /**
   * Address the resident of one of your VERIFIED identity verifications. Without it the answer
   * carries a one-time `claimCode` for you to give the person; they enter it in ichimai.
   */
  identityVerificationId: z.uuid().optional(),
  /**
   * Ask the resident to approve by signing the consent (`content`, canonical JSON
   * `ichimai-link-consent/1`) with the card's signing certificate instead of a card login. Once
   * approved, GET returns `signature` and `content`, which you can POST to /api/v1/identity-verifications.
   */
  signatureRequired: z.boolean().default(false),
});
export type TCreateLinkRequestRequest = z.infer<typeof ZCreateLinkRequestRequest>;

export const ZLinkRequestStatus = z.enum(["pending", "approved", "refused", "expired"]);
export type TLinkRequestStatus = z.infer<typeof ZLinkRequestStatus>;

/** A link request as its partner sees it (never the resident's identity). */
export const ZLinkRequest = z.object({
  id: z.uuid(),
  object: z.literal("link_request"),
  status: ZLinkRequestStatus,
  partnerRef: z.string(),
  purposes: z.array(ZLinkPurpose),
  purposeText: z.string(),
  /** identity_verification: addressed to a verified resident; claim_code: waits for the code. */
  addressedBy: z.enum(["identity_verification", "claim_code"]),
  identityVerificationId: z.uuid().optional(),
  /** True once a resident has the request in front of them (addressed, or the code entered). */
  claimed: z.boolean(),
  /** Approval needs a signature with the card's signing certificate over `content`. */
  signatureRequired: z.boolean(),
  /** base64 of the exact consent bytes (RFC 8785 canonical JSON) the resident signs; with signatureRequired. */
  content: z.string().optional(),
  /** base64 CMS SignedData of the resident's card over `content`, once approved by signature. */
  signature: z.string().optional(),
  expiresAt: z.iso.datetime(),
  decidedAt: z.iso.datetime().optional(),
  createdAt: z.iso.datetime(),
});
export type TLinkRequestDto = z.infer<typeof ZLinkRequest>;

/** The answer to POST: the request, and once, the claim code (only for requests without an address). */
export const ZCreatedLinkRequest = ZLinkRequest.extend({
  /** `XXXXX-XXXXX`, shown only now: give it to the person; it is stored only as a hash. */
  claimCode: z.string().optional(),
});
export type TCreatedLinkRequestDto = z.infer<typeof ZCreatedLinkRequest>;

/** The resident's approval by signature: the CMS over the request's consent content. */
export const ZSignLinkRequest = z.strictObject({
  signedData: z.base64().min(1).max(64_000),
});
