import { z } from "zod";
import { day, defineDocumentType, field, yen, ZDay, ZText, ZYen } from "./define-document-type";

const KIND_LABELS = {
  outpatient: { ja: "外来", en: "Outpatient" },
  inpatient: { ja: "入院", en: "Inpatient" },
  dental: { ja: "歯科", en: "Dental" },
  pharmacy: { ja: "調剤", en: "Pharmacy" },
} as const;

/** 医療費通知 (医療費のお知らせ): care received and its cost over a period, from the health insurer. */
export const medicalExpenseNotice = defineDocumentType({
  id: "medical-expense-notice",
  domain: "health",
  title: { ja: "医療費通知", en: "Medical expense notice" },
  titleKana: "いりょうひつうち",
  schema: z.strictObject({
    insurer: ZText(100),
    insuredNumber: ZText(40),
    periodFrom: ZDay,
    periodTo: ZDay,
    entries: z
      .array(
        z.strictObject({
          month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
          provider: ZText(100),
          kind: z.enum(["outpatient", "inpatient", "dental", "pharmacy"]),
          days: z.number().int().min(1).max(31),
          totalCost: ZYen,
          selfPaid: ZYen,
        }),
      )
      .min(1)
      .max(500),
    issuedOn: ZDay,
  }),
  render: (p, l) => [
    field(l, { ja: "保険者", en: "Insurer" }, p.insurer),
    field(l, { ja: "被保険者番号", en: "Insured number" }, p.insuredNumber),
    field(l, { ja: "対象期間", en: "Period" }, `${day(p.periodFrom, l)} – ${day(p.periodTo, l)}`),
    ...p.entries.map((e) => {
      const [y, m] = e.month.split("-");
      return field(
        l,
        { ja: `${y}年${Number(m)}月`, en: `${e.month}` },
        l === "ja"
          ? `${e.provider}　${KIND_LABELS[e.kind].ja} ${e.days}日 医療費 ${yen(e.totalCost, l)}（自己負担 ${yen(e.selfPaid, l)}）`
          : `${e.provider}: ${KIND_LABELS[e.kind].en}, ${e.days} day(s), cost ${yen(e.totalCost, l)} (you paid ${yen(e.selfPaid, l)})`,
      );
    }),
    field(
      l,
      { ja: "医療費合計", en: "Total cost" },
      yen(
        p.entries.reduce((s, e) => s + e.totalCost, 0),
        l,
      ),
    ),
    field(
      l,
      { ja: "自己負担額合計", en: "Total paid by you" },
      yen(
        p.entries.reduce((s, e) => s + e.selfPaid, 0),
        l,
      ),
    ),
    field(l, { ja: "発行日", en: "Issued on" }, day(p.issuedOn, l)),
  ],
});
