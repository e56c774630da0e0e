import { z } from "zod";
import { defineDocumentType, field, instant, ZInstant, ZText } from "./define-document-type";

/** Japan's five alert levels (警戒レベル, Cabinet Office guideline 2021). 1–2 come from the JMA, 3–5 from the municipality. */
export const ALERT_LEVEL_LABELS = {
  1: { ja: "警戒レベル1 早期注意情報", en: "Alert level 1: early warning information" },
  2: { ja: "警戒レベル2 大雨・洪水注意報", en: "Alert level 2: heavy rain and flood advisory" },
  3: { ja: "警戒レベル3 高齢者等避難", en: "Alert level 3: elderly and others evacuate" },
  4: { ja: "警戒レベル4 避難指示", en: "Alert level 4: evacuation order" },
  5: { ja: "警戒レベル5 緊急安全確保", en: "Alert level 5: emergency safety measures" },
} as const;
const LEVELS = ALERT_LEVEL_LABELS;
export const HAZARD_LABELS = {
  flood: { ja: "洪水", en: "Flood" },
  landslide: { ja: "土砂災害", en: "Landslide" },
  tsunami: { ja: "津波", en: "Tsunami" },
  storm_surge: { ja: "高潮", en: "Storm surge" },
  earthquake: { ja: "地震", en: "Earthquake" },
  fire: { ja: "火災", en: "Fire" },
} as const;

/** 避難指示 and the other levels of the 警戒レベル scale (1–5): issued by the municipality per district. */
export const evacuationOrder = defineDocumentType({
  id: "evacuation-order",
  domain: "disaster",
  title: { ja: "避難指示", en: "Evacuation order" },
  titleKana: "ひなんしじ",
  schema: z.strictObject({
    level: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]),
    hazard: z.enum(["flood", "landslide", "tsunami", "storm_surge", "earthquake", "fire"]),
    issuedAt: ZInstant,
    districts: z.array(ZText(100)).min(1).max(100),
    shelters: z.array(z.strictObject({ name: ZText(100), address: ZText(200) })).max(50),
    instructions: ZText(5000),
    instructionsEn: ZText(5000).optional(),
    /** A personal instruction: the recipient as in the registry (氏名), and each shelter's distance. */
    recipientName: ZText(100).optional(),
    personalShelters: z
      .array(
        z.strictObject({
          name: ZText(100),
          nameEn: ZText(100),
          address: ZText(200),
          distanceKm: z.number().min(0).max(1000),
        }),
      )
      .max(10)
      .optional(),
  }),
  subject: (p, l) => `${LEVELS[p.level][l]}（${HAZARD_LABELS[p.hazard][l]}）`,
  render: (p, l) => [
    ...(p.recipientName ? [field(l, { ja: "宛名", en: "To" }, `${p.recipientName} 様`)] : []),
    field(l, { ja: "警戒レベル", en: "Alert level" }, LEVELS[p.level][l]),
    field(l, { ja: "災害の種類", en: "Hazard" }, HAZARD_LABELS[p.hazard][l]),
    field(l, { ja: "発令日時", en: "Issued at" }, instant(p.issuedAt, l)),
    field(l, { ja: "対象地区", en: "Districts" }, p.districts.join(l === "ja" ? "、" : ", ")),
    ...p.shelters.map((s, i) =>
      field(l, { ja: `避難所${i + 1}`, en: `Shelter ${i + 1}` }, `${s.name}（${s.address}）`),
    ),
    ...(p.personalShelters ?? []).map((s, i) =>
      field(
        l,
        { ja: `あなたの避難先${i + 1}`, en: `Your shelter ${i + 1}` },
        `${l === "en" ? s.nameEn : s.name}（${s.address}、${s.distanceKm.toFixed(1)} km）`,
      ),
    ),
    field(
      l,
      { ja: "とるべき行動", en: "What to do" },
      l === "en" && p.instructionsEn ? p.instructionsEn : p.instructions,
    ),
  ],
});
