import { z } from "zod";
import { day, defineDocumentType, field, ZDay, ZPersonName, ZText } from "./define-document-type";

const ZAllergy = z.strictObject({
  substance: ZText(100),
  reaction: ZText(200).optional(),
  severity: z.enum(["mild", "moderate", "severe"]).optional(),
});
const ZCondition = z.strictObject({ name: ZText(100), since: ZDay.optional(), note: ZText(200).optional() });
const ZMedication = z.strictObject({ name: ZText(100), dose: ZText(100).optional(), since: ZDay.optional() });

const SEVERITY = {
  mild: { ja: "軽度", en: "mild" },
  moderate: { ja: "中等度", en: "moderate" },
  severe: { ja: "重度", en: "severe" },
} as const;

/**
 * 診療情報の要約: a hospital's signed summary of a patient's allergies, ongoing conditions and
 * current medication, for the emergency history an ambulance crew or another hospital may read
 * after a card tap (lib/services/emergency).
 */
export const medicalSummary = defineDocumentType({
  id: "medical-summary",
  domain: "health",
  title: { ja: "診療情報の要約", en: "Medical summary" },
  titleKana: "しんりょうじょうほうのようやく",
  schema: z.strictObject({
    hospital: ZText(100),
    patientName: ZPersonName,
    dateOfBirth: ZDay,
    issuedOn: ZDay,
    bloodType: z.enum(["A", "B", "O", "AB"]).optional(),
    allergies: z.array(ZAllergy).max(50),
    conditions: z.array(ZCondition).max(50),
    medications: z.array(ZMedication).max(100),
  }),
  subject: (p, l) => (l === "ja" ? `診療情報の要約 ${p.hospital}` : `Medical summary: ${p.hospital}`),
  render: (p, l) => {
    const none = l === "ja" ? "なし" : "None";
    const list = (items: string[]) => (items.length ? items.join(l === "ja" ? "、" : "; ") : none);
    return [
      field(l, { ja: "医療機関", en: "Hospital" }, p.hospital),
      field(l, { ja: "患者氏名", en: "Patient" }, p.patientName),
      field(l, { ja: "生年月日", en: "Date of birth" }, day(p.dateOfBirth, l)),
      field(l, { ja: "作成日", en: "Issued on" }, day(p.issuedOn, l)),
      field(l, { ja: "血液型", en: "Blood type" }, p.bloodType ?? (l === "ja" ? "記載なし" : "Not stated")),
      field(
        l,
        { ja: "アレルギー", en: "Allergies" },
        list(
          p.allergies.map(
            (a) =>
              `${a.substance}${a.reaction ? ` (${a.reaction})` : ""}${a.severity ? ` [${SEVERITY[a.severity][l]}]` : ""}`,
          ),
        ),
      ),
      field(l, { ja: "既往歴・治療中の病気", en: "Conditions" }, list(p.conditions.map((c) => c.name))),
      field(
        l,
        { ja: "服薬中の薬", en: "Current medication" },
        list(p.medications.map((m) => `${m.name}${m.dose ? ` ${m.dose}` : ""}`)),
      ),
    ];
  },
});
