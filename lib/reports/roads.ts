import type { LineString } from "geojson";
import { z } from "zod";
import { appendAuditEvent } from "../audit/append-audit-event";
import type { TRequestMetadata } from "../audit/schemas";
import type { PrismaClient } from "../db/client";
import { AppError } from "../errors/app-error";
import { ZSafeText } from "../http/safe-text";
import { REPORT_TRIAGE_ROLES } from "./categories";
import { congestionOf, PROBE_WINDOW_MS, REPORT_WINDOW_MS, type TCongestion } from "./congestion";
import { roadGeometryOf } from "./road-match";

export type TRoadBoardRow = TCongestion & {
  id: string;
  code: string;
  name: string;
  nameEn: string;
  speedLimitKmh: number;
  geometry: LineString | null;
  closedReason: string | null;
  closedAt: Date | null;
};

/** Every road segment with its congestion now (congestion.ts), in code order. */
export async function roadBoard(prisma: PrismaClient, now = new Date()): Promise<TRoadBoardRow[]> {
  const segments = await prisma.roadSegment.findMany({ orderBy: { code: "asc" } });
  const probes = await prisma.probePoint.findMany({
    where: { segmentId: { not: null }, recordedAt: { gte: new Date(now.getTime() - PROBE_WINDOW_MS), lte: now } },
    select: { segmentId: true, speedKmh: true },
  });
  const reports = await prisma.report.findMany({
    where: {
      category: "CONGESTION",
      status: { not: "CLOSED" },
      roadSegmentId: { not: null },
      createdAt: { gte: new Date(now.getTime() - REPORT_WINDOW_MS), lte: now },
    },
    select: { roadSegmentId: true, weight: true },
  });
  return segments.map((s) => ({
    id: s.id,
    code: s.code,
    name: s.name,
    nameEn: s.nameEn,
    speedLimitKmh: s.speedLimitKmh,
    geometry: roadGeometryOf(s.geometry),
    closedReason: s.closedReason,
    closedAt: s.closedAt,
    ...congestionOf({
      closed: s.closed,
      speedLimitKmh: s.speedLimitKmh,
      probeSpeedsKmh: probes.filter((p) => p.segmentId === s.id).map((p) => p.speedKmh),
      reportWeights: reports.filter((r) => r.roadSegmentId === s.id).map((r) => r.weight),
    }),
  }));
}

export const ZSegmentClosureInput = z.strictObject({
  segmentId: z.uuid(),
  closed: z.boolean(),
  reason: ZSafeText.pipe(z.string().trim().max(500)).optional(),
  /** A road-damage report staff confirm: it must be matched to this segment. */
  reportId: z.uuid().optional(),
});

/**
 * Staff close a road segment (or reopen it), optionally confirming a road-damage report matched
 * to it (REPORT_NOT_ROAD_DAMAGE otherwise). Audited as `road.segment_changed`.
 */
export async function setSegmentClosure(
  prisma: PrismaClient,
  o: {
    staff: { staffId: string; roles: readonly string[] };
    input: z.input<typeof ZSegmentClosureInput>;
    requestMetadata?: TRequestMetadata;
    now?: Date;
  },
): Promise<void> {
  if (!o.staff.roles.some((r) => (REPORT_TRIAGE_ROLES as readonly string[]).includes(r)))
    throw new AppError("FORBIDDEN");
  const input = ZSegmentClosureInput.parse(o.input);
  const now = o.now ?? new Date();
  await prisma.$transaction(async (tx) => {
    const segment = await tx.roadSegment.findUnique({
      where: { id: input.segmentId },
      select: { id: true, code: true },
    });
    if (!segment) throw new AppError("ROAD_SEGMENT_NOT_FOUND");
    if (input.reportId) {
      const report = await tx.report.findUnique({
        where: { id: input.reportId },
        select: { category: true, roadSegmentId: true },
      });
      if (!report) throw new AppError("REPORT_NOT_FOUND");
      if (report.category !== "ROAD_DAMAGE" || report.roadSegmentId !== segment.id) {
        throw new AppError("REPORT_NOT_ROAD_DAMAGE");
      }
    }
    await tx.roadSegment.update({
      where: { id: segment.id },
      data: input.closed
        ? {
            closed: true,
            closedAt: now,
            closedReason: input.reason || null,
            closedByStaffId: o.staff.staffId,
            closedByReportId: input.reportId ?? null,
          }
        : { closed: false, closedAt: null, closedReason: null, closedByStaffId: null, closedByReportId: null },
    });
    await appendAuditEvent(tx, {
      type: "road.segment_changed",
      actor: { type: "staff", id: o.staff.staffId },
      channel: "console",
      requestMetadata: o.requestMetadata,
      data: { segment: segment.code, closed: input.closed, reportId: input.reportId ?? null },
    });
  });
}
