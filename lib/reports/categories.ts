import { z } from "zod";
import { ZSafeText } from "../http/safe-text";

/** The report categories, in the order forms and Open311's services.json list them. */
export const REPORT_CATEGORIES = ["ROAD_DAMAGE", "DISASTER_DAMAGE", "CONGESTION", "ACCESSIBILITY", "TOURISM"] as const;
export const ZReportCategory = z.enum(REPORT_CATEGORIES);
export type TReportCategory = z.infer<typeof ZReportCategory>;

export const REPORT_STATUSES = ["OPEN", "ACKNOWLEDGED", "IN_PROGRESS", "CLOSED"] as const;
export const ZReportStatus = z.enum(REPORT_STATUSES);
export type TReportStatus = z.infer<typeof ZReportStatus>;

/**
 * The status flow: forward one step or more (staff may close an obvious duplicate at once), never
 * back, and nothing after CLOSED.
 */
export function canMoveTo(from: TReportStatus, to: TReportStatus): boolean {
  return REPORT_STATUSES.indexOf(to) > REPORT_STATUSES.indexOf(from);
}

/** Staff roles that triage reports and mark road closures. */
export const REPORT_TRIAGE_ROLES = ["CLERK", "DISASTER_OFFICER", "ADMIN"] as const;

/** Latitude/longitude as sent by a form or an API (strings or numbers); out-of-range → 422. */
export const ZLatitude = z.coerce.number().finite().min(-90).max(90);
export const ZLongitude = z.coerce.number().finite().min(-180).max(180);

/** What a reporter sends, the photo aside. */
export const ZReportInput = z.strictObject({
  category: ZReportCategory,
  description: ZSafeText.pipe(z.string().trim().min(1).max(2000)),
  latitude: ZLatitude,
  longitude: ZLongitude,
});
export type TReportInput = z.input<typeof ZReportInput>;

/** The fill class and marker shape per category on the staff map (meaning never rests on colour). */
export const CATEGORY_MARKER: Record<TReportCategory, { shape: "circle" | "square" | "triangle"; fill: string }> = {
  ROAD_DAMAGE: { shape: "triangle", fill: "fill-red-700" },
  DISASTER_DAMAGE: { shape: "square", fill: "fill-orange-700" },
  CONGESTION: { shape: "circle", fill: "fill-yellow-700" },
  ACCESSIBILITY: { shape: "square", fill: "fill-blue-800" },
  TOURISM: { shape: "circle", fill: "fill-green-800" },
};
