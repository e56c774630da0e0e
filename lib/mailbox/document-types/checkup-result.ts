import { z } from "zod";
import { day, defineDocumentType, field, ZDay, ZPersonName, ZText } from "./define-document-type";

const ZCheckupItem = z.strictObject({
  name: ZText(60),
  value: ZText(40),
  unit: ZText(20).optional(),
  flag: z.enum(["normal", "high", "low", "abnormal"]).optional(),
});

const FLAG = {
  normal: { ja: "基準内", en: "normal" },
  high: { ja: "高値", en: "high" },
  low: { ja: "低値", en: "low" },
  abnormal: { ja: "所見あり", en: "abnormal" },
} as const;

/** 健診結果: a health check-up's results (特定健診など), signed by the hospital that ran it. */
export const checkupResult = defineDocumentType({
  id: "checkup-result",
  domain: "health",
  title: { ja: "健診結果", en: "Check-up result" },
  titleKana: "けんしんけっか",
  schema: z.strictObject({
    facility: ZText(100),
    patientName: ZPersonName,
    checkedOn: ZDay,
    summary: ZText(400),
    items: z.array(ZCheckupItem).min(1).max(100),
  }),
  subject: (p, l) => (l === "ja" ? `健診結果 ${p.facility}` : `Check-up result: ${p.facility}`),
  render: (p, l) => [
    field(l, { ja: "実施機関", en: "Facility" }, p.facility),
    field(l, { ja: "受診者", en: "Patient" }, p.patientName),
    field(l, { ja: "受診日", en: "Checked on" }, day(p.checkedOn, l)),
    field(l, { ja: "総合所見", en: "Summary" }, p.summary),
    field(
      l,
      { ja: "検査結果", en: "Results" },
      p.items
        .map((i) => `${i.name} ${i.value}${i.unit ? ` ${i.unit}` : ""}${i.flag ? ` (${FLAG[i.flag][l]})` : ""}`)
        .join(l === "ja" ? "、" : "; "),
    ),
  ],
});
