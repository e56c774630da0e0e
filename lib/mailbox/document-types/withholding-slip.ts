import { z } from "zod";
import { day, defineDocumentType, field, yen, ZDay, ZPersonName, ZText, ZYen } from "./define-document-type";

/** 給与所得の源泉徴収票: a year's pay and withheld income tax, from the employer. */
export const withholdingSlip = defineDocumentType({
  id: "withholding-slip",
  domain: "tax",
  title: { ja: "源泉徴収票", en: "Withholding tax slip" },
  titleKana: "げんせんちょうしゅうひょう",
  schema: z.strictObject({
    year: z.number().int().min(2000).max(2100),
    payerName: ZText(100),
    payerAddress: ZText(200),
    employeeName: ZPersonName,
    employeeAddress: ZText(200),
    paymentAmount: ZYen.meta({ description: "支払金額" }),
    incomeAfterEmploymentDeduction: ZYen.meta({ description: "給与所得控除後の金額" }),
    totalDeductions: ZYen.meta({ description: "所得控除の額の合計額" }),
    withholdingTax: ZYen.meta({ description: "源泉徴収税額" }),
    socialInsurance: ZYen.meta({ description: "社会保険料等の金額" }),
    lifeInsuranceDeduction: ZYen.optional(),
    issuedOn: ZDay,
  }),
  subject: (p, l) =>
    l === "ja" ? `源泉徴収票 ${p.year}年分（${p.payerName}）` : `Withholding slip ${p.year} (${p.payerName})`,
  render: (p, l) => [
    field(l, { ja: "年分", en: "Year" }, String(p.year)),
    field(l, { ja: "支払者", en: "Payer" }, p.payerName),
    field(l, { ja: "支払者住所", en: "Payer address" }, p.payerAddress),
    field(l, { ja: "支払を受ける者", en: "Employee" }, p.employeeName),
    field(l, { ja: "住所", en: "Address" }, p.employeeAddress),
    field(l, { ja: "支払金額", en: "Payment amount" }, yen(p.paymentAmount, l)),
    field(
      l,
      { ja: "給与所得控除後の金額", en: "Income after employment deduction" },
      yen(p.incomeAfterEmploymentDeduction, l),
    ),
    field(l, { ja: "所得控除の額の合計額", en: "Total deductions" }, yen(p.totalDeductions, l)),
    field(l, { ja: "源泉徴収税額", en: "Income tax withheld" }, yen(p.withholdingTax, l)),
    field(l, { ja: "社会保険料等の金額", en: "Social insurance" }, yen(p.socialInsurance, l)),
    ...(p.lifeInsuranceDeduction !== undefined
      ? [field(l, { ja: "生命保険料の控除額", en: "Life insurance deduction" }, yen(p.lifeInsuranceDeduction, l))]
      : []),
    field(l, { ja: "発行日", en: "Issued on" }, day(p.issuedOn, l)),
  ],
});
