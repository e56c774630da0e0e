import { z } from "zod";
import { ZSafeText } from "../../http/safe-text";

/** The `format` of the content a resident signs for a partner. Never change its meaning. */
export const SIGNING_REQUEST_FORMAT = "ichimai-signing-request/1";
/** A request stays open this long unless the partner says otherwise. */
export const SIGNING_REQUEST_DEFAULT_TTL_DAYS = 14;
/** The longest a partner may leave a request open. */
export const SIGNING_REQUEST_MAX_TTL_DAYS = 30;
/** The application text: at most this many characters (UTF-16 code units). */
export const SIGNING_REQUEST_MAX_TEXT = 20_000;

/** POST /api/v1/signing-requests: a partner asks a linked resident to sign its application text. */
export const ZCreateSigningRequestRequest = z.strictObject({
  /** Shown as the heading (e.g. 普通預金口座開設申込書). */
  title: ZSafeText.trim().min(1).max(200),
  /** The application text, plain (no HTML, no Markdown); line breaks are kept as they are. */
  text: ZSafeText.min(1)
    .max(SIGNING_REQUEST_MAX_TEXT)
    .refine((s) => s.trim().length > 0, "text must not be blank"),
  /** The member reference you linked the resident under (any active link, whatever its purposes). */
  partnerRef: ZSafeText.trim().min(1).max(100),
  /** When the request lapses (default 14 days, at most 30 days ahead). */
  expiresAt: z.iso.datetime({ offset: true }).optional(),
});
export type TCreateSigningRequestRequest = z.infer<typeof ZCreateSigningRequestRequest>;

/**
 * The content the resident signs: its RFC 8785 canonical JSON bytes are the CMS eContent. Made
 * once when the request is created and stored as bytes; the page shows these fields.
 */
export const ZSigningRequestContent = z.strictObject({
  format: z.literal(SIGNING_REQUEST_FORMAT),
  requestId: z.uuid(),
  /** The partner's name as the resident sees it. */
  partner: z.strictObject({ name: z.string() }),
  title: z.string(),
  text: z.string(),
});
export type TSigningRequestContent = z.infer<typeof ZSigningRequestContent>;

export const ZSigningRequestStatus = z.enum(["pending", "signed", "declined", "expired"]);
export type TSigningRequestStatus = z.infer<typeof ZSigningRequestStatus>;

/** A signing request as its partner sees it. */
export const ZSigningRequest = z.object({
  id: z.uuid(),
  object: z.literal("signing_request"),
  status: ZSigningRequestStatus,
  partnerRef: z.string(),
  title: z.string(),
  /** base64 of the exact bytes the resident is asked to sign (canonical JSON, `format` ichimai-signing-request/1). */
  content: z.string(),
  /**
   * When signed: the CMS SignedData (CAdES-BES, base64 DER) over `content`, attached. Post it as
   * `signedData` to POST /api/v1/identity-verifications for the resident's verified facts.
   */
  signedData: z.string().optional(),
  expiresAt: z.iso.datetime(),
  decidedAt: z.iso.datetime().optional(),
  createdAt: z.iso.datetime(),
});
export type TSigningRequestDto = z.infer<typeof ZSigningRequest>;

/** The resident's sign request body: the CMS their card made. */
export const ZSignSigningRequest = z.strictObject({
  signedData: z
    .string()
    .regex(/^[A-Za-z0-9+/]+={0,2}$/)
    .max(120_000),
});

/** A request as the resident sees it. */
export type TMySigningRequest = {
  id: string;
  partnerName: string;
  title: string;
  text: string;
  /** The exact text the card signs (canonical JSON). */
  canonical: string;
  status: TSigningRequestStatus;
  expiresAt: string;
  decidedAt?: string;
  createdAt: string;
};
