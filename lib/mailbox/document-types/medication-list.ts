import { z } from "zod";
import { day, defineDocumentType, field, ZDay, ZPersonName, ZText } from "./define-document-type";

/** One prescribed drug of a visit. */
export const ZMedication = z.strictObject({
  /** Drug name as prescribed (brand or generic), e.g. アムロジピン錠5mg. */
  name: ZText(100).meta({ description: "薬品名" }),
  /** Dose and how to take it, e.g. 1回1錠 1日1回 朝食後. */
  dose: ZText(100).meta({ description: "用法・用量" }),
  /** Days supplied (頓服: the number of doses' days, at least 1). */
  days: z.number().int().min(1).max(365).meta({ description: "日数" }),
  prescribedAt: ZDay.meta({ description: "処方日" }),
  /** The prescribing doctor. */
  prescriber: ZPersonName.meta({ description: "処方医" }),
});
export type TMedication = z.infer<typeof ZMedication>;

/**
 * お薬の記録 (medication list): the drugs prescribed at one hospital visit, issued and signed by the
 * hospital. Other services read it by type id (e.g. an emergency medical history), so the field
 * names are contract.
 */
export const medicationList = defineDocumentType({
  id: "medication-list",
  domain: "health",
  title: { ja: "お薬の記録", en: "Medication list" },
  titleKana: "おくすりのきろく",
  schema: z.strictObject({
    hospital: ZText(100),
    patientName: ZPersonName,
    visitDate: ZDay,
    department: ZText(60),
    medications: z.array(ZMedication).min(1).max(50),
  }),
  subject: (p, l) =>
    l === "ja"
      ? `お薬の記録 ${p.hospital} ${p.department}（${p.medications.length}種類）`
      : `Medication list: ${p.hospital}, ${p.department} (${p.medications.length})`,
  render: (p, l) => [
    field(l, { ja: "医療機関", en: "Hospital" }, p.hospital),
    field(l, { ja: "患者氏名", en: "Patient" }, p.patientName),
    field(l, { ja: "受診日", en: "Visit date" }, day(p.visitDate, l)),
    field(l, { ja: "診療科", en: "Department" }, p.department),
    ...p.medications.map((m, i) =>
      field(
        l,
        { ja: `お薬${i + 1}`, en: `Drug ${i + 1}` },
        l === "ja"
          ? `${m.name}　${m.dose}　${m.days}日分（${day(m.prescribedAt, l)} ${m.prescriber} 処方）`
          : `${m.name}, ${m.dose}, ${m.days} days (prescribed ${day(m.prescribedAt, l)} by ${m.prescriber})`,
      ),
    ),
  ],
});
