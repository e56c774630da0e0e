import { z } from "zod";
import {
  day,
  defineDocumentType,
  field,
  instant,
  yen,
  ZDay,
  ZInstant,
  ZPersonName,
  ZText,
  ZYen,
} from "./define-document-type";

/** 診療費領収書: a hospital visit's bill (points, self-pay ratio, insured and uninsured parts). */
export const hospitalReceipt = defineDocumentType({
  id: "hospital-receipt",
  domain: "health",
  title: { ja: "診療費領収書", en: "Hospital receipt" },
  titleKana: "しんりょうひりょうしゅうしょ",
  schema: z.strictObject({
    hospital: ZText(100),
    receiptNumber: ZText(40),
    patientName: ZPersonName,
    visitDate: ZDay,
    department: ZText(60),
    insurancePoints: z.number().int().min(0).max(10_000_000).meta({ description: "保険点数 (1 point = 10 yen)" }),
    selfPayRatio: z.union([z.literal(0), z.literal(0.1), z.literal(0.2), z.literal(0.3)]),
    insuredAmount: ZYen.meta({ description: "保険診療の自己負担額" }),
    uninsuredAmount: ZYen.meta({ description: "保険外負担" }),
    total: ZYen,
    paidAt: ZInstant,
  }),
  subject: (p, l) =>
    l === "ja" ? `診療費領収書 ${p.hospital} ${p.department}` : `Hospital receipt: ${p.hospital}, ${p.department}`,
  render: (p, l) => [
    field(l, { ja: "医療機関", en: "Hospital" }, p.hospital),
    field(l, { ja: "領収番号", en: "Receipt number" }, p.receiptNumber),
    field(l, { ja: "患者氏名", en: "Patient" }, p.patientName),
    field(l, { ja: "受診日", en: "Visit date" }, day(p.visitDate, l)),
    field(l, { ja: "診療科", en: "Department" }, p.department),
    field(
      l,
      { ja: "保険点数", en: "Insurance points" },
      l === "ja" ? `${p.insurancePoints}点` : `${p.insurancePoints} points`,
    ),
    field(
      l,
      { ja: "負担割合", en: "Self-pay ratio" },
      l === "ja" ? `${p.selfPayRatio * 10}割` : `${p.selfPayRatio * 100}%`,
    ),
    field(l, { ja: "保険診療", en: "Insured care (your share)" }, yen(p.insuredAmount, l)),
    field(l, { ja: "保険外", en: "Uninsured" }, yen(p.uninsuredAmount, l)),
    field(l, { ja: "領収金額", en: "Total paid" }, yen(p.total, l)),
    field(l, { ja: "領収日時", en: "Paid at" }, instant(p.paidAt, l)),
  ],
});
