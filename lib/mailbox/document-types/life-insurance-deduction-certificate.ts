import { z } from "zod";
import { day, defineDocumentType, field, yen, ZDay, ZPersonName, ZText, ZYen } from "./define-document-type";

const KIND_LABELS = {
  general: { ja: "一般生命保険料", en: "General life insurance" },
  nursing_medical: { ja: "介護医療保険料", en: "Nursing and medical insurance" },
  individual_pension: { ja: "個人年金保険料", en: "Individual pension insurance" },
} as const;

/**
 * 生命保険料控除証明書: premiums paid in a year, for the life insurance deduction in the year-end
 * adjustment (年末調整) or the tax return. The employer receives it by share.
 */
export const lifeInsuranceDeductionCertificate = defineDocumentType({
  id: "life-insurance-deduction-certificate",
  domain: "insurance",
  title: { ja: "生命保険料控除証明書", en: "Life insurance premium deduction certificate" },
  titleKana: "せいめいほけんりょうこうじょしょうめいしょ",
  schema: z.strictObject({
    insurer: ZText(100),
    policyNumber: ZText(40),
    policyholder: ZPersonName,
    insured: ZPersonName,
    insuranceKind: z.enum(["general", "nursing_medical", "individual_pension"]),
    /** 新制度 (contracts from 2012) or 旧制度: the deduction formula differs. */
    system: z.enum(["new", "old"]),
    year: z.number().int().min(2000).max(2100),
    premiumPaidToDate: ZYen.meta({ description: "Premiums paid up to the certificate date" }),
    premiumExpectedForYear: ZYen.meta({ description: "Premiums expected for the whole year (年間申告予定額)" }),
    issuedOn: ZDay,
  }),
  subject: (p, l) =>
    l === "ja"
      ? `生命保険料控除証明書 ${p.year}年分（${p.insurer}）`
      : `Life insurance deduction certificate ${p.year} (${p.insurer})`,
  render: (p, l) => [
    field(l, { ja: "保険会社", en: "Insurer" }, p.insurer),
    field(l, { ja: "証券番号", en: "Policy number" }, p.policyNumber),
    field(l, { ja: "契約者", en: "Policyholder" }, p.policyholder),
    field(l, { ja: "被保険者", en: "Insured" }, p.insured),
    field(l, { ja: "保険の種類", en: "Kind" }, KIND_LABELS[p.insuranceKind][l]),
    field(
      l,
      { ja: "制度", en: "System" },
      l === "ja" ? (p.system === "new" ? "新制度" : "旧制度") : p.system === "new" ? "New (2012–)" : "Old",
    ),
    field(l, { ja: "対象年", en: "Year" }, l === "ja" ? `${p.year}年分` : String(p.year)),
    field(l, { ja: "証明額（払込済）", en: "Premiums paid to date" }, yen(p.premiumPaidToDate, l)),
    field(l, { ja: "年間申告予定額", en: "Premiums expected for the year" }, yen(p.premiumExpectedForYear, l)),
    field(l, { ja: "発行日", en: "Issued on" }, day(p.issuedOn, l)),
  ],
});
