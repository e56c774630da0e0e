import { z } from "zod";
import { ZSafeText } from "../../http/safe-text";

/** Who reads after a card tap (EmergencyAudience): an ambulance crew (救急隊) or another hospital. */
export const ZEmergencyAudience = z.enum(["AMBULANCE", "HOSPITAL"]);
export type TEmergencyAudience = z.infer<typeof ZEmergencyAudience>;

/** The parts of the history a resident lets an audience read. */
export const ZEmergencyPart = z.enum(["ALLERGIES", "CONDITIONS", "MEDICATION", "CHECKUPS", "CONTACTS"]);
export type TEmergencyPart = z.infer<typeof ZEmergencyPart>;
export const EMERGENCY_PARTS: readonly TEmergencyPart[] = ZEmergencyPart.options;

/**
 * What a break-glass read shows when the resident never chose anything for that audience: the
 * parts that keep an unconscious patient from harm (the vital-interest exception of the APPI,
 * 個人情報保護法 27条1項2号 / 18条3項2号), not the check-ups.
 */
export const BREAK_GLASS_DEFAULT_PARTS: readonly TEmergencyPart[] = [
  "ALLERGIES",
  "CONDITIONS",
  "MEDICATION",
  "CONTACTS",
];

/** How long a break-glass access lasts for its terminal and resident. */
export const BREAK_GLASS_TTL_MS = 30 * 60 * 1000;

/** Why the patient cannot tap with their PIN. */
export const ZBreakGlassReason = z.enum(["UNCONSCIOUS", "CONFUSED", "CANNOT_SPEAK", "MINOR_ALONE", "OTHER"]);
export type TBreakGlassReason = z.infer<typeof ZBreakGlassReason>;

export const BREAK_GLASS_REASON_LABELS: Record<TBreakGlassReason, { ja: string; en: string }> = {
  UNCONSCIOUS: { ja: "意識がない", en: "Unconscious" },
  CONFUSED: { ja: "意識が混濁している", en: "Confused" },
  CANNOT_SPEAK: { ja: "話せない・暗証番号を入力できない", en: "Cannot speak or enter the PIN" },
  MINOR_ALONE: { ja: "保護者のいない未成年", en: "A minor without a guardian" },
  OTHER: { ja: "その他", en: "Other" },
};

/** The kinds of the resident's own (self-reported, unsigned) entries. */
export const ZSelfEntryKind = z.enum(["ALLERGY", "CONDITION", "MEDICATION", "CONTACT"]);
export type TSelfEntryKind = z.infer<typeof ZSelfEntryKind>;

const text = (max: number) => ZSafeText.trim().min(1).max(max);

/** A self-reported entry as the /services/medical form sends it. */
export const ZSelfEntryInput = z.strictObject({
  kind: ZSelfEntryKind,
  /** Substance, condition, medicine, or the contact's name. */
  text: text(100),
  /** Reaction, note, dose, or the contact's relation and phone. */
  detail: text(200).optional(),
});
export type TSelfEntryInput = z.input<typeof ZSelfEntryInput>;

/** The resident's choice for one audience. An empty `parts` with breakGlass false is a withdrawal. */
export const ZEmergencyConsentInput = z.strictObject({
  audience: ZEmergencyAudience,
  parts: z.array(ZEmergencyPart).max(EMERGENCY_PARTS.length),
  breakGlass: z.boolean(),
});
export type TEmergencyConsentInput = z.input<typeof ZEmergencyConsentInput>;

/** A break-glass request from a terminal: the card's auth certificate (read without PIN) and a reason. */
export const ZBreakGlassRequest = z.strictObject({
  /** DER of the card's user-authentication certificate, base64. */
  certificate: z
    .string()
    .min(100)
    .max(8000)
    .regex(/^[A-Za-z0-9+/]+={0,2}$/),
  reasonCategory: z.string().max(40).optional(),
  reasonText: ZSafeText.max(500).optional(),
});

/** Where a line of the history comes from: a hospital's signed document, or the resident themself. */
export type TEmergencySource =
  | { kind: "signed"; issuer: string; issuerEn: string; documentId: string; issuedOn: string | null }
  | { kind: "self"; enteredAt: string };

export type TEmergencyLine = { text: string; detail: string | null; severe: boolean; source: TEmergencySource };

export type TCheckupDto = {
  facility: string;
  checkedOn: string;
  summary: string;
  items: { name: string; value: string; unit: string | null; flag: string | null }[];
  source: TEmergencySource;
};

/** What a terminal shows: only the parts the reader may see (absent parts are not sent). */
export type TEmergencyHistoryDto = {
  patient: { name: string; nameKana: string; dateOfBirth: string; gender: string; bloodType: string | null };
  parts: TEmergencyPart[];
  allergies?: TEmergencyLine[];
  conditions?: TEmergencyLine[];
  medications?: TEmergencyLine[];
  checkups?: TCheckupDto[];
  contacts?: TEmergencyLine[];
  access:
    | { mode: "consent"; readAt: string }
    | { mode: "break_glass"; readAt: string; accessId: string; expiresAt: string; reasonCategory: TBreakGlassReason };
};
