import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors/app-error";
import { useTestDatabase } from "@/test/db";
import { createReportsWorld, hasExifGps, IN_TOWN, jpegWithGps, ON_ROAD, OUTSIDE } from "@/test/reports/reports-world";
import { seedPartner, seedResident } from "@/prisma/seed/factories";
import { canMoveTo } from "./categories";
import { congestionOf } from "./congestion";
import { setTrafficMonitor } from "./monitors";
import { readReportPhoto } from "./photo-access";
import { REPORT_PHOTO_MAX_BYTES } from "./photo";
import { ingestProbeBatch, PROBE_BATCH_LIMIT, PROBE_BATCH_MAX_POINTS } from "./probe";
import { distanceToLineM } from "./road-match";
import { roadBoard, setSegmentClosure } from "./roads";
import { submitReport, VISITOR_REPORT_LIMIT } from "./submit-report";
import { reportByTrackingToken, reportsOfResident } from "./track";
import { listReportsForStaff, triageReport } from "./triage";

const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
    return "OK";
  } catch (err) {
    if (err instanceof AppError) return err.code;
    if (err instanceof Error && err.name === "ZodError") return "ZOD";
    throw err;
  }
};

describe("resident reports", () => {
  const db = useTestDatabase();
  let w: Awaited<ReturnType<typeof createReportsWorld>>;
  let ipN = 0;
  const visitor = () => ({ requestMetadata: { ip: `192.0.2.${++ipN}` } });
  const input = (over: Record<string, unknown> = {}) => ({
    category: "ROAD_DAMAGE" as const,
    description: "穴があいています",
    ...IN_TOWN,
    ...over,
  });

  beforeAll(async () => {
    w = await createReportsWorld(db().prisma, "lib");
  });

  it("takes a point inside the town, refuses one outside (REPORT_LOCATION_OUTSIDE) and a bad lat/lng (zod → 422)", async () => {
    const ctx = { prisma: db().prisma };
    const ok = await submitReport(ctx, { reporter: { type: "visitor" }, input: input(), ...visitor() });
    expect(ok.districtCode).toBe("RPT-lib");
    expect(ok.trackingToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(
      await codeOf(submitReport(ctx, { reporter: { type: "visitor" }, input: input(OUTSIDE), ...visitor() })),
    ).toBe("REPORT_LOCATION_OUTSIDE");
    expect(
      await codeOf(submitReport(ctx, { reporter: { type: "visitor" }, input: input({ latitude: 91 }), ...visitor() })),
    ).toBe("ZOD");
    expect(
      await codeOf(
        submitReport(ctx, { reporter: { type: "visitor" }, input: input({ longitude: "east" }), ...visitor() }),
      ),
    ).toBe("ZOD");
    expect(
      await codeOf(
        submitReport(ctx, { reporter: { type: "visitor" }, input: input({ description: "a\u0000b" }), ...visitor() }),
      ),
    ).toBe("ZOD");
  });

  it("refuses a disguised file and an oversized one by content; strips EXIF GPS from a real photo", async () => {
    const ctx = { prisma: db().prisma };
    // A PDF named like a photo: the name is never looked at, the bytes are.
    const pdf = new TextEncoder().encode("%PDF-1.7\n1 0 obj << >> endobj\n%%EOF");
    expect(
      await codeOf(submitReport(ctx, { reporter: { type: "visitor" }, input: input(), photo: pdf, ...visitor() })),
    ).toBe("REPORT_PHOTO_UNSUPPORTED");
    // A GIF is an image, but not one we take.
    const gif = await sharp({ create: { width: 4, height: 4, channels: 3, background: "#000" } })
      .gif()
      .toBuffer();
    expect(
      await codeOf(submitReport(ctx, { reporter: { type: "visitor" }, input: input(), photo: gif, ...visitor() })),
    ).toBe("REPORT_PHOTO_UNSUPPORTED");
    const huge = new Uint8Array(REPORT_PHOTO_MAX_BYTES + 1);
    expect(
      await codeOf(submitReport(ctx, { reporter: { type: "visitor" }, input: input(), photo: huge, ...visitor() })),
    ).toBe("REPORT_PHOTO_TOO_LARGE");
    expect(await db().prisma.report.count({ where: { photo: { isNot: null } } })).toBe(0);

    const original = await jpegWithGps();
    expect(await hasExifGps(original)).toBe(true);
    const sent = await submitReport(ctx, {
      reporter: { type: "visitor" },
      input: input(),
      photo: original,
      ...visitor(),
    });
    const photo = await readReportPhoto(db().prisma, {
      reportId: sent.id,
      viewer: { type: "token", token: sent.trackingToken! },
    });
    expect(photo.contentType).toBe("image/jpeg");
    expect(await hasExifGps(photo.bytes)).toBe(false);
    const meta = await sharp(photo.bytes).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect([meta.format, meta.width, meta.height]).toEqual(["jpeg", 64, 48]);

    // Only staff and the reporter see it; another token, another resident: not found.
    expect(
      await codeOf(
        readReportPhoto(db().prisma, { reportId: sent.id, viewer: { type: "token", token: "x".repeat(32) } }),
      ),
    ).toBe("REPORT_NOT_FOUND");
    expect(
      await codeOf(
        readReportPhoto(db().prisma, { reportId: sent.id, viewer: { type: "resident", residentId: w.resident.id } }),
      ),
    ).toBe("REPORT_NOT_FOUND");
    expect(
      await codeOf(readReportPhoto(db().prisma, { reportId: sent.id, viewer: { type: "staff", ...w.clerk } })),
    ).toBe("OK");
    expect(await db().prisma.auditEvent.count({ where: { type: "report.photo_read" } })).toBe(1);
  });

  it("rate-limits visitors per address", async () => {
    const ctx = { prisma: db().prisma };
    const same = { requestMetadata: { ip: "198.51.100.7" } };
    for (let i = 0; i < VISITOR_REPORT_LIMIT.limit; i++) {
      await submitReport(ctx, { reporter: { type: "visitor" }, input: input(), ...same });
    }
    expect(await codeOf(submitReport(ctx, { reporter: { type: "visitor" }, input: input(), ...same }))).toBe(
      "RATE_LIMITED",
    );
    // A resident is counted per account, not per address.
    expect(
      await codeOf(
        submitReport(ctx, { reporter: { type: "resident", residentId: w.resident.id }, input: input(), ...same }),
      ),
    ).toBe("OK");
  });

  it("the status flow: staff move it forward with a public note, the reporter sees it; never backwards", async () => {
    const prisma = db().prisma;
    const ctx = { prisma };
    const mine = await submitReport(ctx, {
      reporter: { type: "resident", residentId: w.resident.id },
      input: input({ category: "ACCESSIBILITY", description: "段差があります" }),
    });
    expect(mine.trackingToken).toBeNull();
    const visitorReport = await submitReport(ctx, { reporter: { type: "visitor" }, input: input(), ...visitor() });

    expect(canMoveTo("OPEN", "ACKNOWLEDGED")).toBe(true);
    expect(canMoveTo("CLOSED", "OPEN")).toBe(false);
    await triageReport(prisma, {
      staff: w.clerk,
      input: {
        reportId: mine.id,
        status: "ACKNOWLEDGED",
        publicNote: "確認しました",
        department: "建設課",
        assigneeStaffId: w.clerk.staffId,
      },
    });
    await triageReport(prisma, {
      staff: w.clerk,
      input: { reportId: mine.id, status: "IN_PROGRESS", publicNote: "工事を手配しました" },
    });
    expect(await codeOf(triageReport(prisma, { staff: w.clerk, input: { reportId: mine.id, status: "OPEN" } }))).toBe(
      "REPORT_STATUS_TRANSITION_INVALID",
    );
    // Not a triage role: refused.
    expect(
      await codeOf(
        triageReport(prisma, { staff: { staffId: w.clerk.staffId, roles: ["AUDITOR"] }, input: { reportId: mine.id } }),
      ),
    ).toBe("FORBIDDEN");

    const [seen] = (await reportsOfResident(prisma, w.resident.id)).filter((r) => r.id === mine.id);
    expect(seen).toMatchObject({ status: "IN_PROGRESS", publicNote: "工事を手配しました" });
    expect(seen!.history.map((h) => h.status)).toEqual(["OPEN", "ACKNOWLEDGED", "IN_PROGRESS"]);

    await triageReport(prisma, {
      staff: w.clerk,
      input: { reportId: visitorReport.id, status: "CLOSED", publicNote: "修理済み" },
    });
    expect(await reportByTrackingToken(prisma, visitorReport.trackingToken!)).toMatchObject({
      status: "CLOSED",
      publicNote: "修理済み",
    });
    expect(await codeOf(reportByTrackingToken(prisma, "A".repeat(32)))).toBe("REPORT_NOT_FOUND");

    const listed = await listReportsForStaff(prisma, { staff: w.clerk, filter: { category: "ACCESSIBILITY" } });
    expect(listed.find((r) => r.id === mine.id)).toMatchObject({ department: "建設課", status: "IN_PROGRESS" });
    expect(await prisma.auditEvent.count({ where: { type: "report.triaged", subjectResidentId: w.resident.id } })).toBe(
      2,
    );
  });

  it("the congestion rule: median probe speed over the limit, closures, report weights", () => {
    const none = { closed: false, speedLimitKmh: 40, probeSpeedsKmh: [], reportWeights: [] };
    expect(congestionOf(none).level).toBe("UNKNOWN");
    expect(congestionOf({ ...none, probeSpeedsKmh: [35, 30, 38] }).level).toBe("FREE");
    expect(congestionOf({ ...none, probeSpeedsKmh: [20, 15, 40] }).level).toBe("SLOW");
    expect(congestionOf({ ...none, probeSpeedsKmh: [5, 8, 40] }).level).toBe("CONGESTED");
    expect(congestionOf({ ...none, probeSpeedsKmh: [35], closed: true }).level).toBe("CLOSED");
    // One visitor's report (weight 1) changes nothing; one monitor's (weight 2) raises a step.
    expect(congestionOf({ ...none, probeSpeedsKmh: [35], reportWeights: [1] }).level).toBe("FREE");
    expect(congestionOf({ ...none, probeSpeedsKmh: [35], reportWeights: [2] }).level).toBe("SLOW");
    expect(congestionOf({ ...none, probeSpeedsKmh: [20], reportWeights: [1, 1] }).level).toBe("CONGESTED");
    // Map matching: metres from a point to the line.
    const line = {
      type: "LineString" as const,
      coordinates: [
        [134.601, 33.905],
        [134.619, 33.905],
      ],
    };
    expect(distanceToLineM(ON_ROAD, line)).toBeLessThan(1);
    expect(distanceToLineM({ latitude: 33.906, longitude: 134.61 }, line)).toBeCloseTo(111, 0);
  });

  it("monitors: opt in and out through the consent ledger; a monitor's congestion report counts double on the board", async () => {
    const prisma = db().prisma;
    const monitor = await seedResident(prisma, { districtId: w.district.id });
    await setTrafficMonitor(prisma, { residentId: monitor.id, join: true });
    expect(await codeOf(setTrafficMonitor(prisma, { residentId: monitor.id, join: true }))).toBe(
      "TRAFFIC_MONITOR_STATE",
    );
    const before = (await roadBoard(prisma)).find((s) => s.id === w.segment.id)!;
    expect(before.level).toBe("UNKNOWN");
    // A visitor's congestion report on the road: weight 1, below the threshold.
    await submitReport(
      { prisma },
      { reporter: { type: "visitor" }, input: input({ category: "CONGESTION", ...ON_ROAD }), ...visitor() },
    );
    expect((await roadBoard(prisma)).find((s) => s.id === w.segment.id)).toMatchObject({
      level: "UNKNOWN",
      reportScore: 1,
    });
    await submitReport(
      { prisma },
      { reporter: { type: "resident", residentId: monitor.id }, input: input({ category: "CONGESTION", ...ON_ROAD }) },
    );
    expect((await roadBoard(prisma)).find((s) => s.id === w.segment.id)).toMatchObject({
      level: "SLOW",
      reportScore: 3,
    });
    await setTrafficMonitor(prisma, { residentId: monitor.id, join: false });
    expect(
      await prisma.auditEvent.findMany({
        where: { subjectResidentId: monitor.id, purpose: "traffic_monitor" },
        select: { type: true },
        orderBy: { seq: "asc" },
      }),
    ).toEqual([{ type: "consent.given" }, { type: "consent.revoked" }]);
    // Withdrawn: the next report weighs 1.
    const later = await submitReport(
      { prisma },
      { reporter: { type: "resident", residentId: monitor.id }, input: input({ category: "CONGESTION", ...ON_ROAD }) },
    );
    expect((await prisma.report.findUniqueOrThrow({ where: { id: later.id } })).weight).toBe(1);
  });

  it("probe batches: matched to the segment, validated, capped, rate-limited; TEST batches are not stored", async () => {
    const prisma = db().prisma;
    const bus = await seedPartner(prisma, { slug: "rpt-bus", name: "バス", kind: "BUS_OPERATOR" });
    const now = new Date();
    const point = (over: Record<string, unknown> = {}) => ({
      recordedAt: now.toISOString(),
      ...ON_ROAD,
      speedKmh: 6,
      ...over,
    });
    const ingest = (body: unknown, mode: "TEST" | "LIVE" = "LIVE") =>
      ingestProbeBatch({ prisma, now: () => now }, { partnerId: bus.id, credentialMode: mode, body });
    expect(
      await ingest({ vehicleRef: "1号車", points: [point(), point({ speedKmh: 4 }), point({ latitude: 33.915 })] }),
    ).toEqual({
      accepted: 3,
      matched: 2,
      stored: true,
    });
    expect((await roadBoard(prisma, now)).find((s) => s.id === w.segment.id)).toMatchObject({
      probeCount: 2,
      medianSpeedKmh: 5,
    });
    expect(await ingest({ vehicleRef: "T", points: [point()] }, "TEST")).toMatchObject({ stored: false });
    expect(await prisma.probePoint.count()).toBe(3);

    expect(
      await codeOf(
        ingest({ vehicleRef: "1号車", points: Array.from({ length: PROBE_BATCH_MAX_POINTS + 1 }, () => point()) }),
      ),
    ).toBe("PROBE_BATCH_TOO_LARGE");
    expect(await codeOf(ingest({ vehicleRef: "1号車", points: [point({ speedKmh: -1 })] }))).toBe("ZOD");
    expect(await codeOf(ingest({ vehicleRef: "1号車", points: [] }))).toBe("ZOD");
    expect(
      await codeOf(
        ingest({
          vehicleRef: "1号車",
          points: [point({ recordedAt: new Date(now.getTime() + 3_600_000).toISOString() })],
        }),
      ),
    ).toBe("PROBE_POINT_TIME_INVALID");
    expect(await codeOf(ingest({ vehicleRef: "1号車", points: [point({ recordedAt: "2020-01-01T00:00:00Z" })] }))).toBe(
      "PROBE_POINT_TIME_INVALID",
    );
    // A flood from one vehicle.
    const codes: string[] = [];
    for (let i = 0; i < PROBE_BATCH_LIMIT.limit + 1; i++)
      codes.push(await codeOf(ingest({ vehicleRef: "2号車", points: [point()] })));
    expect(codes.at(-1)).toBe("RATE_LIMITED");
    expect(codes.slice(0, -1).every((c) => c === "OK")).toBe(true);
  });

  it("staff close a segment from a confirmed road-damage report; the board shows CLOSED", async () => {
    const prisma = db().prisma;
    const damage = await submitReport(
      { prisma },
      { reporter: { type: "visitor" }, input: input(ON_ROAD), ...visitor() },
    );
    const access = await submitReport(
      { prisma },
      { reporter: { type: "visitor" }, input: input({ ...ON_ROAD, category: "ACCESSIBILITY" }), ...visitor() },
    );
    expect(
      await codeOf(
        setSegmentClosure(prisma, {
          staff: w.clerk,
          input: { segmentId: w.segment.id, closed: true, reportId: access.id },
        }),
      ),
    ).toBe("REPORT_NOT_ROAD_DAMAGE");
    await setSegmentClosure(prisma, {
      staff: w.clerk,
      input: { segmentId: w.segment.id, closed: true, reason: "陥没", reportId: damage.id },
    });
    expect((await roadBoard(prisma)).find((s) => s.id === w.segment.id)).toMatchObject({
      level: "CLOSED",
      closedReason: "陥没",
    });
    await setSegmentClosure(prisma, { staff: w.clerk, input: { segmentId: w.segment.id, closed: false } });
    expect((await roadBoard(prisma)).find((s) => s.id === w.segment.id)?.level).not.toBe("CLOSED");
  });
});
