import { z } from "zod";
import { day, defineDocumentType, field, yen, ZDay, ZPersonName, ZText, ZYen } from "./define-document-type";

/** 課税（所得）証明書: income and municipal/prefectural tax of one year, issued by the municipality. */
export const incomeTaxCertificate = defineDocumentType({
  id: "income-tax-certificate",
  domain: "tax",
  title: { ja: "課税（所得）証明書", en: "Certificate of taxable income" },
  titleKana: "かぜいしょとくしょうめいしょ",
  schema: z.strictObject({
    municipality: ZText(100),
    certificateNumber: ZText(40),
    issuedOn: ZDay,
    fiscalYear: z.number().int().min(2000).max(2100).meta({ description: "Tax year (年度), Gregorian" }),
    incomeYear: z.number().int().min(1999).max(2100).meta({ description: "Calendar year of the income" }),
    taxpayerName: ZPersonName,
    taxpayerAddress: ZText(200),
    totalIncome: ZYen,
    totalDeductions: ZYen,
    taxableIncome: ZYen,
    municipalTax: ZYen,
    prefecturalTax: ZYen,
    dependents: z.number().int().min(0).max(30),
  }),
  subject: (p, l) =>
    l === "ja" ? `課税（所得）証明書 ${p.fiscalYear}年度` : `Taxable income certificate FY${p.fiscalYear}`,
  render: (p, l) => [
    field(l, { ja: "発行自治体", en: "Issued by" }, p.municipality),
    field(l, { ja: "証明番号", en: "Certificate number" }, p.certificateNumber),
    field(l, { ja: "発行日", en: "Issued on" }, day(p.issuedOn, l)),
    field(l, { ja: "年度", en: "Fiscal year" }, l === "ja" ? `${p.fiscalYear}年度` : `FY${p.fiscalYear}`),
    field(l, { ja: "所得の年", en: "Income year" }, l === "ja" ? `${p.incomeYear}年分` : String(p.incomeYear)),
    field(l, { ja: "氏名", en: "Name" }, p.taxpayerName),
    field(l, { ja: "住所", en: "Address" }, p.taxpayerAddress),
    field(l, { ja: "総所得金額", en: "Total income" }, yen(p.totalIncome, l)),
    field(l, { ja: "所得控除額合計", en: "Total deductions" }, yen(p.totalDeductions, l)),
    field(l, { ja: "課税標準額", en: "Taxable income" }, yen(p.taxableIncome, l)),
    field(l, { ja: "市町村民税", en: "Municipal tax" }, yen(p.municipalTax, l)),
    field(l, { ja: "道府県民税", en: "Prefectural tax" }, yen(p.prefecturalTax, l)),
    field(l, { ja: "扶養人数", en: "Dependents" }, String(p.dependents)),
  ],
});
