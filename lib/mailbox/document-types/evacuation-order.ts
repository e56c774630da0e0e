import { z } from "zod";
import { defineDocumentType, field, instant, ZInstant, ZText } from "./define-document-type";

const LEVELS = {
  3: { ja: "警戒レベル3 高齢者等避難", en: "Alert level 3: elderly and others evacuate" },
  4: { ja: "警戒レベル4 避難指示", en: "Alert level 4: evacuation order" },
  5: { ja: "警戒レベル5 緊急安全確保", en: "Alert level 5: emergency safety measures" },
} as const;
const HAZARDS = {
  flood: { ja: "洪水", en: "Flood" },
  landslide: { ja: "土砂災害", en: "Landslide" },
  tsunami: { ja: "津波", en: "Tsunami" },
  storm_surge: { ja: "高潮", en: "Storm surge" },
  earthquake: { ja: "地震", en: "Earthquake" },
  fire: { ja: "火災", en: "Fire" },
} as const;

/** 避難指示 (and levels 3 and 5 of the 警戒レベル scale): issued by the municipality per district. */
export const evacuationOrder = defineDocumentType({
  id: "evacuation-order",
  domain: "disaster",
  title: { ja: "避難指示", en: "Evacuation order" },
  titleKana: "ひなんしじ",
  schema: z.strictObject({
    level: z.union([z.literal(3), z.literal(4), z.literal(5)]),
    hazard: z.enum(["flood", "landslide", "tsunami", "storm_surge", "earthquake", "fire"]),
    issuedAt: ZInstant,
    districts: z.array(ZText(100)).min(1).max(100),
    shelters: z.array(z.strictObject({ name: ZText(100), address: ZText(200) })).max(50),
    instructions: ZText(5000),
    instructionsEn: ZText(5000).optional(),
  }),
  subject: (p, l) => `${LEVELS[p.level][l]}（${HAZARDS[p.hazard][l]}）`,
  render: (p, l) => [
    field(l, { ja: "警戒レベル", en: "Alert level" }, LEVELS[p.level][l]),
    field(l, { ja: "災害の種類", en: "Hazard" }, HAZARDS[p.hazard][l]),
    field(l, { ja: "発令日時", en: "Issued at" }, instant(p.issuedAt, l)),
    field(l, { ja: "対象地区", en: "Districts" }, p.districts.join(l === "ja" ? "、" : ", ")),
    ...p.shelters.map((s, i) =>
      field(l, { ja: `避難所${i + 1}`, en: `Shelter ${i + 1}` }, `${s.name}（${s.address}）`),
    ),
    field(
      l,
      { ja: "とるべき行動", en: "What to do" },
      l === "en" && p.instructionsEn ? p.instructionsEn : p.instructions,
    ),
  ],
});
