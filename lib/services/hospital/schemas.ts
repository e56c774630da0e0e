import { z } from "zod";
import { ZSafeText } from "../../http/safe-text";
import { ZMedication } from "../../mailbox/document-types/medication-list";

/** A calendar date `YYYY-MM-DD` that exists (2027-02-30 is refused). */
const ZDate = z.iso.date();

/** The insurer's own member reference (the PartnerResidentLink reference it linked the resident under). */
export const ZMemberNumber = ZSafeText.pipe(z.string().trim().min(1).max(100));

/** PUT /api/v1/insurance/members/{memberNumber}: the member's status as the insurer holds it now. */
export const ZPutInsuranceMemberRequest = z
  .strictObject({
    /** `valid` (資格あり) or `lapsed` (資格喪失). */
    status: z.enum(["valid", "lapsed"]),
    /** 保険者番号: 6 digits (国民健康保険) or 8 digits. */
    insurerNumber: z.string().regex(/^(\d{6}|\d{8})$/, "6 or 8 digits"),
    /** 記号 of the insurance card (may be empty for 国保 cards without one). */
    symbol: ZSafeText.pipe(z.string().max(20)),
    /** 番号 of the insurance card. */
    number: ZSafeText.pipe(z.string().min(1).max(20)),
    /** 枝番 (2 digits) when the insurer uses one. */
    branch: z
      .string()
      .regex(/^\d{2}$/, "2 digits")
      .optional(),
    /** First day of coverage. */
    validFrom: ZDate,
    /** Last day of coverage; absent or null when open-ended. */
    validUntil: ZDate.nullable().optional(),
    /** 自己負担割合: 1, 2 or 3 (割). */
    copayRatio: z.number().int().min(1).max(3),
  })
  .refine((v) => !v.validUntil || v.validUntil >= v.validFrom, {
    message: "validUntil is before validFrom",
    path: ["validUntil"],
  });
export type TPutInsuranceMemberRequest = z.infer<typeof ZPutInsuranceMemberRequest>;

/** The insurance card's coverage as ichimai answers it (a roster entry, an "eligible" reception). */
const ZCoverageShape = {
  insurerNumber: z.string(),
  symbol: z.string(),
  number: z.string(),
  branch: z.string().optional(),
  validFrom: ZDate,
  validUntil: ZDate.optional(),
  copayRatio: z.number().int().min(1).max(3),
};

/** One roster entry as the API returns it. */
export const ZInsuranceMember = z.object({
  object: z.literal("insurance_member"),
  memberNumber: z.string(),
  mode: z.enum(["TEST", "LIVE"]),
  status: z.enum(["valid", "lapsed"]),
  ...ZCoverageShape,
  /** When ichimai last heard this entry from you; entries older than the freshness window answer "unknown". */
  confirmedAt: z.iso.datetime(),
});
export type TInsuranceMemberDto = z.infer<typeof ZInsuranceMember>;

/**
 * Why the insurance could not be confirmed (確認できません): the insurer did not answer in time,
 * its roster entry is older than the freshness window, or it holds no entry for the resident
 * (including: the resident linked no health insurer).
 */
export const ZInsuranceUnknownReason = z.enum(["INSURER_UNREACHABLE", "ROSTER_STALE", "MEMBER_NOT_FOUND"]);
export type TInsuranceUnknownReason = z.infer<typeof ZInsuranceUnknownReason>;

/** The insurance part of a reception answer. */
export const ZInsuranceAnswer = z.discriminatedUnion("status", [
  z.object({
    status: z.literal("eligible"),
    insurer: z.object({ name: z.string(), nameEn: z.string() }),
    ...ZCoverageShape,
    confirmedAt: z.iso.datetime(),
  }),
  z.object({
    status: z.literal("lapsed"),
    /** Stable code: INSURANCE_LAPSED (資格喪失, or outside the coverage period). */
    code: z.literal("INSURANCE_LAPSED"),
    insurer: z.object({ name: z.string(), nameEn: z.string() }),
    insurerNumber: z.string(),
    validFrom: ZDate,
    validUntil: ZDate.optional(),
    confirmedAt: z.iso.datetime(),
  }),
  z.object({
    status: z.literal("unknown"),
    /** Stable code: INSURANCE_UNKNOWN (確認できません); never treat as eligible. */
    code: z.literal("INSURANCE_UNKNOWN"),
    reason: ZInsuranceUnknownReason,
    insurer: z.object({ name: z.string(), nameEn: z.string() }).optional(),
  }),
]);
export type TInsuranceAnswer = z.infer<typeof ZInsuranceAnswer>;

/** The reception kiosk's answer to a card tap (受付). */
export const ZReceptionAnswer = z.object({
  object: z.literal("hospital_reception"),
  /** `received`: a patient of this hospital; the insurance part says what the insurer holds. */
  result: z.enum(["received", "CARD_UNKNOWN", "RECIPIENT_NOT_LINKED"]),
  /** The hospital's own patient reference (診察券番号), when received. */
  patient: z.object({ reference: z.string() }).optional(),
  /** The visit opened by this reception (the hospital records its care through /api/v1). */
  visit: z.object({ id: z.uuid() }).optional(),
  insurance: ZInsuranceAnswer.optional(),
  checkedAt: z.iso.datetime(),
});
export type TReceptionAnswerDto = z.infer<typeof ZReceptionAnswer>;

/** POST /api/v1/hospital/visits/{id}/record: the care of one visit. */
export const ZRecordVisitRequest = z.strictObject({
  /** 診療科. */
  department: ZSafeText.pipe(z.string().trim().min(1).max(60)),
  /** 保険点数 of the visit (1 point = 10 yen); at most 1,000,000 points (10 million yen). */
  points: z.number().int().min(0).max(1_000_000),
  /** 保険外負担 in yen (not covered by the insurance); at most 10 million yen. */
  uninsuredYen: z.number().int().min(0).max(10_000_000).default(0),
  /** The drugs prescribed at this visit (the medication-list items). */
  medications: z.array(ZMedication).max(50).default([]),
});

/** A visit as the hospital sees it. */
export const ZHospitalVisit = z.object({
  object: z.literal("hospital_visit"),
  id: z.uuid(),
  /** Your patient reference (診察券番号) at reception. */
  patientReference: z.string(),
  /** The reception terminal's label. */
  terminal: z.string(),
  receivedAt: z.iso.datetime(),
  /** The insurer's answer at reception; `copayRatio` only when eligible (otherwise the patient pays 10割). */
  insurance: z.object({
    status: z.enum(["eligible", "lapsed", "unknown"]),
    copayRatio: z.number().int().min(1).max(3).optional(),
  }),
  status: z.enum(["received", "recorded"]),
  department: z.string().optional(),
  points: z.number().int().optional(),
  /** points × 10 yen. */
  insuredYen: z.number().int().optional(),
  /** The patient's share of the insured care (rounded to 10 yen). */
  copayYen: z.number().int().optional(),
  uninsuredYen: z.number().int().optional(),
  /** copayYen + uninsuredYen: what the patient pays. */
  totalYen: z.number().int().optional(),
  medications: z.array(ZMedication).optional(),
  recordedAt: z.iso.datetime().optional(),
  /** When 会計 charged the total (POST …/charge); absent while the visit is unpaid. */
  paidAt: z.iso.datetime().optional(),
});
export type THospitalVisitDto = z.infer<typeof ZHospitalVisit>;

/** 会計: the copay of a visit charged to the patient's payment method (POST …/visits/{id}/charge). */
export const ZHospitalVisitPayment = z.object({
  object: z.literal("hospital_visit_payment"),
  visitId: z.uuid(),
  status: z.literal("paid"),
  /** The visit's total (copay + 保険外負担) in yen; 0 when nothing was due (no charge then). */
  amountYen: z.number().int().min(0),
  /** The processor's charge id; absent when nothing was due. */
  chargeId: z.string().optional(),
  /** The card as the patient linked it (brand and last four digits only). */
  paymentMethod: z.object({ brand: z.string(), last4: z.string() }).optional(),
  paidAt: z.iso.datetime(),
});
export type THospitalVisitPaymentDto = z.infer<typeof ZHospitalVisitPayment>;
