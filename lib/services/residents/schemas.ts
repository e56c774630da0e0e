import { z } from "zod";
import { ZSafeText } from "@/lib/http/safe-text";

/** The standard purposes of opening a resident's record (OTHER needs its text). */
export const STAFF_PURPOSES = [
  "CERTIFICATE_ISSUANCE",
  "REGISTRY_NOTIFICATION",
  "CARD_COUNTER",
  "RESIDENT_INQUIRY",
  "WELFARE",
  "TAX",
  "OTHER",
] as const;
export type TStaffPurpose = (typeof STAFF_PURPOSES)[number];

/** The purpose as it is written to the resident's access log (Japanese, the registry's language). */
export const STAFF_PURPOSE_LABELS: Record<TStaffPurpose, string> = {
  CERTIFICATE_ISSUANCE: "証明書の交付",
  REGISTRY_NOTIFICATION: "届出の処理",
  CARD_COUNTER: "マイナンバーカードの窓口手続",
  RESIDENT_INQUIRY: "本人からの問い合わせへの対応",
  WELFARE: "福祉・保健の業務",
  TAX: "税務",
  OTHER: "その他",
};

const ZText = (max: number) => ZSafeText.pipe(z.string().trim().max(max));

/** A purpose: one of the standard ones, with optional details (required for OTHER). */
export const ZStaffPurpose = z
  .strictObject({
    purpose: z.enum(STAFF_PURPOSES),
    purposeText: ZText(200).optional(),
  })
  .refine((p) => p.purpose !== "OTHER" || (p.purposeText ?? "").length > 0, {
    path: ["purposeText"],
    message: "required for OTHER",
  });
export type TStaffPurposeInput = z.infer<typeof ZStaffPurpose>;

export function purposeTextOf(p: TStaffPurposeInput): string {
  const label = STAFF_PURPOSE_LABELS[p.purpose];
  return p.purposeText ? `${label}：${p.purposeText}` : label;
}

/** Search criteria (at least one). */
export const ZResidentSearch = z.strictObject({
  name: ZText(100).optional(),
  registryNumber: ZText(20).optional(),
  districtCode: ZText(40).optional(),
  includeLeft: z.boolean().optional(),
  page: z.coerce.number().int().min(1).max(1000).default(1),
});

export const ZReason = ZSafeText.pipe(z.string().trim().min(1).max(1000));
const ZDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const ZName = ZSafeText.pipe(z.string().trim().min(1).max(40));

/** A new resident's registry facts (birth, move in). */
export const ZNewResident = z.strictObject({
  familyName: ZName,
  givenName: ZName,
  familyNameKana: ZName,
  givenNameKana: ZName,
  dateOfBirth: ZDate,
  gender: z.enum(["MALE", "FEMALE", "UNKNOWN"]),
  householdRelation: ZName,
});

/** The registry events staff record from a resident's record page. */
export const ZRegistryEvent = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("birth"), reason: ZReason, child: ZNewResident }),
  z.strictObject({ kind: z.literal("move_out"), reason: ZReason, date: ZDate }),
  z.strictObject({ kind: z.literal("death"), reason: ZReason, date: ZDate }),
  z.strictObject({
    kind: z.literal("change_name"),
    reason: ZReason,
    familyName: ZName,
    givenName: ZName,
    familyNameKana: ZName,
    givenNameKana: ZName,
  }),
  z.strictObject({ kind: z.literal("card_lost"), reason: ZReason }),
  z.strictObject({ kind: z.literal("card_revoked"), reason: ZReason }),
]);
export type TRegistryEventInput = z.infer<typeof ZRegistryEvent>;

/** A move in: a new resident (a new household at the address, or joining one by its code). */
export const ZMoveIn = z.strictObject({
  reason: ZReason,
  person: ZNewResident,
  address: ZSafeText.pipe(z.string().trim().min(1).max(200)),
  postalCode: z.string().regex(/^\d{3}-\d{4}$/),
  districtCode: ZText(40),
});

/**
 * The identity documents a counter accepts before it unlocks a card's PIN: one with a photo (the
 * card's own face photo compared at the counter counts), or two without a photo.
 */
export const IDENTITY_DOCUMENTS = [
  "MY_NUMBER_CARD_PHOTO",
  "DRIVERS_LICENSE",
  "PASSPORT",
  "RESIDENCE_CARD",
  "DISABILITY_CERTIFICATE",
  "TWO_DOCUMENTS_WITHOUT_PHOTO",
] as const;
export type TIdentityDocument = (typeof IDENTITY_DOCUMENTS)[number];

/** As the audit trail records them (Japanese). */
export const IDENTITY_DOCUMENT_LABELS: Record<TIdentityDocument, string> = {
  MY_NUMBER_CARD_PHOTO: "マイナンバーカード（顔写真の照合）",
  DRIVERS_LICENSE: "運転免許証",
  PASSPORT: "旅券",
  RESIDENCE_CARD: "在留カード・特別永住者証明書",
  DISABILITY_CERTIFICATE: "身体障害者手帳等",
  TWO_DOCUMENTS_WITHOUT_PHOTO: "写真のない書類2点（健康保険の資格確認書等）",
};

/** 暗証番号のロック解除: which PIN, the identity document checked, an optional note (e.g. which two documents). */
export const ZPinUnlock = z.strictObject({
  slot: z.enum(["auth", "sign"]),
  identityDocument: z.enum(IDENTITY_DOCUMENTS),
  note: ZText(200).optional(),
});

/** 交付: the identity document checked when the card is handed over, an optional note. */
export const ZCardIssue = z.strictObject({
  identityDocument: z.enum(IDENTITY_DOCUMENTS),
  note: ZText(200).optional(),
});
