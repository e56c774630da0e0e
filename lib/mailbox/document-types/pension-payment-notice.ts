import { z } from "zod";
import { day, defineDocumentType, field, yen, ZDay, ZText, ZYen } from "./define-document-type";

/** 年金振込通知書: the year's pension payments and their deductions, from the pension service. */
export const pensionPaymentNotice = defineDocumentType({
  id: "pension-payment-notice",
  domain: "pension",
  title: { ja: "年金振込通知書", en: "Pension payment notice" },
  titleKana: "ねんきんふりこみつうちしょ",
  schema: z.strictObject({
    payer: ZText(100),
    basicPensionNumber: z
      .string()
      .regex(/^\d{4}-\d{6}$/)
      .meta({ description: "基礎年金番号, 4-6 digits" }),
    bankAccount: ZText(60).meta({ description: "Masked account, e.g. 阿波みらい銀行 普通 ****567" }),
    payments: z
      .array(
        z.strictObject({
          paymentDate: ZDay,
          grossAmount: ZYen,
          incomeTax: ZYen,
          residentTax: ZYen,
          healthInsurance: ZYen,
          nursingInsurance: ZYen,
          netAmount: ZYen,
        }),
      )
      .min(1)
      .max(12),
    issuedOn: ZDay,
  }),
  render: (p, l) => [
    field(l, { ja: "支払者", en: "Payer" }, p.payer),
    field(l, { ja: "基礎年金番号", en: "Basic pension number" }, p.basicPensionNumber),
    field(l, { ja: "振込先", en: "Paid into" }, p.bankAccount),
    ...p.payments.map((x) =>
      field(
        l,
        { ja: `${day(x.paymentDate, "ja")} 振込`, en: `Payment of ${day(x.paymentDate, "en")}` },
        l === "ja"
          ? `年金額 ${yen(x.grossAmount, l)} − 所得税 ${yen(x.incomeTax, l)} − 住民税 ${yen(x.residentTax, l)} − 健康保険料 ${yen(x.healthInsurance, l)} − 介護保険料 ${yen(x.nursingInsurance, l)} ＝ 振込額 ${yen(x.netAmount, l)}`
          : `gross ${yen(x.grossAmount, l)} − income tax ${yen(x.incomeTax, l)} − resident tax ${yen(x.residentTax, l)} − health ${yen(x.healthInsurance, l)} − nursing ${yen(x.nursingInsurance, l)} = paid ${yen(x.netAmount, l)}`,
      ),
    ),
    field(l, { ja: "発行日", en: "Issued on" }, day(p.issuedOn, l)),
  ],
});
