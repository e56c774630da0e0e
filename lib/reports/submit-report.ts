import { randomBytes } from "node:crypto";
import { appendAuditEvent } from "../audit/append-audit-event";
import type { TAuditChannel, TRequestMetadata } from "../audit/schemas";
import { sha256Hex } from "../crypto/sha256";
import { AppError } from "../errors/app-error";
import { districtGeometryOf } from "../geo/geometry";
import { districtContaining } from "../geo/measure";
import { hitRateLimit, rateLimitedError, type TRateLimitRule } from "../rate-limit/fixed-window";
import { type TReportInput, ZReportInput } from "./categories";
import { isTrafficMonitor } from "./monitors";
import { processReportPhoto } from "./photo";
import { reportsNow, type TReportsContext } from "./reports-context";
import { nearestSegment, roadGeometryOf } from "./road-match";

/** Reports per client address per hour from visitors (no account), web and anonymous Open311 together. */
export const VISITOR_REPORT_LIMIT: TRateLimitRule = { limit: 5, windowMs: 60 * 60 * 1000 };
/** Reports per resident per hour. */
export const RESIDENT_REPORT_LIMIT: TRateLimitRule = { limit: 30, windowMs: 60 * 60 * 1000 };

export type TReporter =
  | { type: "resident"; residentId: string }
  | { type: "visitor" }
  /** A partner's Open311 client (api_key); rate-limited by its credential like the partner API. */
  | { type: "partner"; partnerId: string };

export type TSubmitReportOptions = {
  reporter: TReporter;
  input: TReportInput;
  /** The uploaded photo's bytes, if any (checked by content, whatever its name or type). */
  photo?: Uint8Array | null;
  source?: "WEB" | "OPEN311";
  channel?: TAuditChannel;
  requestMetadata?: TRequestMetadata;
};

export type TSubmittedReport = {
  id: string;
  districtCode: string;
  /** For a visitor only: the private tracking token, shown once (only its hash is stored). */
  trackingToken: string | null;
};

/** The segment matching applies to road and congestion reports. */
const SEGMENT_CATEGORIES = new Set(["ROAD_DAMAGE", "CONGESTION"]);

/**
 * A report from a resident, a visitor or an Open311 client. The point must lie in one of the
 * town's districts (REPORT_LOCATION_OUTSIDE; a malformed or out-of-range coordinate is a 422
 * VALIDATION_FAILED from the schema); visitors are limited per client address
 * ({@link VISITOR_REPORT_LIMIT}, RATE_LIMITED), residents per account. The photo is checked and
 * re-encoded without any metadata (photo.ts) before anything is written; the report, its photo,
 * its first status event and the `report.submitted` audit event are one transaction.
 */
export async function submitReport(ctx: TReportsContext, o: TSubmitReportOptions): Promise<TSubmittedReport> {
  const input = ZReportInput.parse(o.input);
  const now = reportsNow(ctx);
  const point = { latitude: input.latitude, longitude: input.longitude };
  const districts = await ctx.prisma.district.findMany({ select: { id: true, code: true, geometry: true } });
  const district = districtContaining(
    districts.map((d) => ({ ...d, geometry: districtGeometryOf(d.geometry) })),
    point,
  );
  if (!district) throw new AppError("REPORT_LOCATION_OUTSIDE");

  if (o.reporter.type !== "partner") {
    const resident = o.reporter.type === "resident";
    const hit = await hitRateLimit(ctx.prisma, {
      bucket: resident ? "reports.submit.resident" : "reports.submit.visitor",
      key: resident ? (o.reporter as { residentId: string }).residentId : (o.requestMetadata?.ip ?? "unknown"),
      rule: resident ? RESIDENT_REPORT_LIMIT : VISITOR_REPORT_LIMIT,
      now,
    });
    if (!hit.allowed) throw rateLimitedError({ retryAfterSeconds: hit.retryAfterSeconds });
  }

  const photo = o.photo && o.photo.byteLength > 0 ? await processReportPhoto(o.photo) : null;

  let roadSegmentId: string | null = null;
  if (SEGMENT_CATEGORIES.has(input.category)) {
    const segments = await ctx.prisma.roadSegment.findMany({ select: { id: true, geometry: true } });
    roadSegmentId =
      nearestSegment(
        segments.map((s) => ({ id: s.id, geometry: roadGeometryOf(s.geometry) })),
        point,
      )?.id ?? null;
  }
  const residentId = o.reporter.type === "resident" ? o.reporter.residentId : null;
  const weight = residentId && (await isTrafficMonitor(ctx.prisma, residentId)) ? 2 : 1;
  const trackingToken = residentId ? null : randomBytes(24).toString("base64url");

  const report = await ctx.prisma.$transaction(async (tx) => {
    const created = await tx.report.create({
      data: {
        category: input.category,
        description: input.description,
        latitude: input.latitude,
        longitude: input.longitude,
        districtId: district.id,
        reporterResidentId: residentId,
        trackingTokenHash: trackingToken ? sha256Hex(trackingToken) : null,
        weight,
        source: o.source ?? "WEB",
        partnerId: o.reporter.type === "partner" ? o.reporter.partnerId : null,
        roadSegmentId,
        createdAt: now,
        events: { create: { status: "OPEN", at: now } },
        ...(photo
          ? {
              photo: {
                create: {
                  contentType: photo.contentType,
                  bytes: photo.bytes,
                  width: photo.width,
                  height: photo.height,
                },
              },
            }
          : {}),
      },
      select: { id: true },
    });
    await appendAuditEvent(tx, {
      type: "report.submitted",
      actor:
        o.reporter.type === "resident"
          ? { type: "resident", id: o.reporter.residentId }
          : o.reporter.type === "partner"
            ? { type: "partner", id: o.reporter.partnerId }
            : { type: "system", id: "visitor" },
      ...(residentId ? { subjectResidentId: residentId } : {}),
      channel: o.channel ?? (o.source === "OPEN311" ? "api" : "pc"),
      requestMetadata: o.requestMetadata,
      data: {
        reportId: created.id,
        category: input.category,
        districtCode: district.code,
        photo: photo !== null,
        source: o.source ?? "WEB",
      },
    });
    return created;
  });
  return { id: report.id, districtCode: district.code, trackingToken };
}
