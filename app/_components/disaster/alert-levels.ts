import { ALERT_LEVEL_LABELS, HAZARD_LABELS } from "@/lib/mailbox/document-types/evacuation-order";

/** The colours of Japan's alert levels (白・黄・赤・紫・黒), as map fills; 0 = no order. */
export const LEVEL_FILL = [
  "fill-solid-gray-100",
  "fill-white",
  "fill-yellow-400",
  "fill-red-700",
  "fill-purple-800",
  "fill-black",
] as const;

/** The same colours as a swatch or border behind text. */
export const LEVEL_BORDER = [
  "border-solid-gray-420",
  "border-solid-gray-420",
  "border-yellow-400",
  "border-red-700",
  "border-purple-800",
  "border-black",
] as const;

/** 警戒レベル4 避難指示 / Alert level 4: evacuation order. */
export function levelLabel(level: number, locale: string): string {
  const l = ALERT_LEVEL_LABELS[level as keyof typeof ALERT_LEVEL_LABELS];
  return l ? l[locale === "en" ? "en" : "ja"] : String(level);
}

/** 洪水 / Flood, from the database's FLOOD. */
export function hazardLabel(hazard: string, locale: string): string {
  const h = HAZARD_LABELS[hazard.toLowerCase() as keyof typeof HAZARD_LABELS];
  return h ? h[locale === "en" ? "en" : "ja"] : hazard;
}
