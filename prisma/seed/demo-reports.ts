/**
 * Resident reports, road segments and probe data of the demo town (lib/reports): five road
 * segments (GeoJSON LineStrings inside the districts), a handful of reports — some with photos
 * made by sharp that carry an EXIF GPS position, which the report flow strips — one of them in
 * progress with a public note, the bus operator's `probe:write` scope on its partner and LIVE
 * credential, and fresh probe points of the bus (one slow segment, one free-flowing). Idempotent:
 * segments by code, reports once; probe points only when the board has none from the last 15
 * minutes (they age out of the congestion window).
 */
import sharp from "sharp";
import type { PrismaClient } from "../../lib/db/client";
import { PROBE_WINDOW_MS } from "../../lib/reports/congestion";
import { ingestProbeBatch } from "../../lib/reports/probe";
import { submitReport } from "../../lib/reports/submit-report";
import { triageReport } from "../../lib/reports/triage";
import { DEMO_BUS_SLUG } from "./demo-bus";
import type { TDemoServiceContext, TDemoServiceSeed } from "./demo-services";

type TLine = [number, number][];

export const DEMO_ROAD_SEGMENTS: { code: string; name: string; nameEn: string; speedLimitKmh: number; line: TLine }[] =
  [
    {
      code: "R1",
      name: "県道一枚線（駅前〜港）",
      nameEn: "Prefectural Road Ichimai Line (station–port)",
      speedLimitKmh: 40,
      line: [
        [134.625, 33.91],
        [134.645, 33.911],
        [134.66, 33.912],
      ],
    },
    {
      code: "R2",
      name: "国道55号（南北）",
      nameEn: "National Route 55 (north–south)",
      speedLimitKmh: 50,
      line: [
        [134.6405, 33.902],
        [134.641, 33.92],
        [134.641, 33.935],
      ],
    },
    {
      code: "R3",
      name: "町道西地区線",
      nameEn: "Town Road West District Line",
      speedLimitKmh: 30,
      line: [
        [134.603, 33.905],
        [134.618, 33.915],
      ],
    },
    {
      code: "R4",
      name: "町道北循環線",
      nameEn: "Town Road North Loop",
      speedLimitKmh: 30,
      line: [
        [134.605, 33.93],
        [134.62, 33.93],
        [134.635, 33.932],
      ],
    },
    {
      code: "R5",
      name: "海岸通り",
      nameEn: "Coast Road",
      speedLimitKmh: 40,
      line: [
        [134.645, 33.925],
        [134.66, 33.93],
      ],
    },
  ];

/** A demo photo as a phone takes it: a JPEG carrying an EXIF GPS position. */
async function demoPhoto(colour: string): Promise<Uint8Array> {
  const buf = await sharp({ create: { width: 480, height: 320, channels: 3, background: colour } })
    .jpeg({ quality: 85 })
    .withExif({
      IFD0: { Make: "IchimaiPhone", Model: "Demo" },
      IFD3: {
        GPSLatitudeRef: "N",
        GPSLatitude: "33/1 54/1 3600/100",
        GPSLongitudeRef: "E",
        GPSLongitude: "134/1 37/1 0/1",
      },
    })
    .toBuffer();
  return new Uint8Array(buf);
}

async function seedSegments(prisma: PrismaClient) {
  for (const s of DEMO_ROAD_SEGMENTS) {
    await prisma.roadSegment.upsert({
      where: { code: s.code },
      create: {
        code: s.code,
        name: s.name,
        nameEn: s.nameEn,
        speedLimitKmh: s.speedLimitKmh,
        geometry: { type: "LineString", coordinates: s.line },
      },
      update: {},
    });
  }
}

/** The bus operator may post probe data: the scope approved and on its LIVE credential. */
async function grantProbeScope(prisma: PrismaClient) {
  const bus = await prisma.partner.findUnique({
    where: { slug: DEMO_BUS_SLUG },
    select: { id: true, approvedScopes: true },
  });
  if (!bus) return null;
  if (!bus.approvedScopes.includes("probe:write")) {
    await prisma.partner.update({
      where: { id: bus.id },
      data: { approvedScopes: [...bus.approvedScopes, "probe:write"] },
    });
  }
  const credentials = await prisma.partnerCredential.findMany({
    where: { partnerId: bus.id, mode: "LIVE", revokedAt: null },
    select: { id: true, scopes: true },
  });
  for (const c of credentials) {
    if (!c.scopes.includes("probe:write")) {
      await prisma.partnerCredential.update({ where: { id: c.id }, data: { scopes: [...c.scopes, "probe:write"] } });
    }
  }
  return bus.id;
}

async function seedReports(ctx: TDemoServiceContext): Promise<string | null> {
  const { prisma } = ctx;
  if ((await prisma.report.count()) > 0) return null;
  // A documentation address (RFC 5737), so the seed does not use up a local visitor's report limit.
  const seedAddress = { requestMetadata: { ip: "192.0.2.1", userAgent: "demo-seed" } };
  const r = { prisma };
  const visitor = { type: "visitor" as const };
  const pothole = await submitReport(r, {
    reporter: visitor,
    input: {
      category: "ROAD_DAMAGE",
      description: "県道の路面に大きな穴があいています。自転車が危ないです。",
      latitude: 33.9102,
      longitude: 134.63,
    },
    photo: await demoPhoto("#5a5a5a"),
    ...seedAddress,
  });
  await submitReport(r, {
    reporter: visitor,
    input: {
      category: "DISASTER_DAMAGE",
      description: "大雨で裏山の土砂が町道に流れ出ています。",
      latitude: 33.93,
      longitude: 134.61,
    },
    photo: await demoPhoto("#7a5a3a"),
    ...seedAddress,
  });
  await submitReport(r, {
    reporter: visitor,
    input: {
      category: "TOURISM",
      description: "海岸の展望台からの夕日がきれいです。駐車場は5台分あります。",
      latitude: 33.927,
      longitude: 134.652,
    },
    ...seedAddress,
  });
  const adult = ctx.cardHolders.find((c) => c.role === "adult");
  if (adult) {
    await submitReport(r, {
      reporter: { type: "resident", residentId: adult.id },
      input: {
        category: "ACCESSIBILITY",
        description: "役場前の歩道に段差があり、車いすで通れません。",
        latitude: 33.915,
        longitude: 134.635,
      },
      photo: await demoPhoto("#8899aa"),
    });
  }
  const clerk = ctx.town.staff.find((s) => s.roles.some((role) => role === "CLERK" || role === "ADMIN"));
  if (clerk) {
    await triageReport(prisma, {
      staff: { staffId: clerk.id, roles: clerk.roles },
      input: {
        reportId: pothole.id,
        status: "IN_PROGRESS",
        publicNote: "建設課が現地を確認しました。今週中に補修します。",
        department: "建設課",
        assigneeStaffId: clerk.id,
      },
    });
  }
  return pothole.trackingToken;
}

async function seedProbes(prisma: PrismaClient, busId: string) {
  const now = new Date();
  const recent = await prisma.probePoint.count({
    where: { recordedAt: { gte: new Date(now.getTime() - PROBE_WINDOW_MS) } },
  });
  if (recent > 0) return;
  const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000).toISOString();
  // 1号車 crawls along R1 (congested near the station), 2号車 runs freely on R2.
  await ingestProbeBatch(
    { prisma, now: () => now },
    {
      partnerId: busId,
      credentialMode: "LIVE",
      body: {
        vehicleRef: "1号車",
        points: [
          { recordedAt: at(6), latitude: 33.9101, longitude: 134.628, speedKmh: 9 },
          { recordedAt: at(4), latitude: 33.9104, longitude: 134.634, speedKmh: 7 },
          { recordedAt: at(2), latitude: 33.9108, longitude: 134.641, speedKmh: 11 },
        ],
      },
    },
  );
  await ingestProbeBatch(
    { prisma, now: () => now },
    {
      partnerId: busId,
      credentialMode: "LIVE",
      body: {
        vehicleRef: "2号車",
        points: [
          { recordedAt: at(5), latitude: 33.906, longitude: 134.6406, speedKmh: 45 },
          { recordedAt: at(3), latitude: 33.914, longitude: 134.6408, speedKmh: 48 },
          { recordedAt: at(1), latitude: 33.925, longitude: 134.641, speedKmh: 42 },
        ],
      },
    },
  );
}

export async function seedDemoReports(ctx: TDemoServiceContext): Promise<TDemoServiceSeed> {
  await seedSegments(ctx.prisma);
  const busId = await grantProbeScope(ctx.prisma);
  const token = await seedReports(ctx);
  if (busId) await seedProbes(ctx.prisma, busId);
  const lines = [
    "Reports: /reports/new (anyone), /admin/reports (staff), /roads, Open311 at /open311/v2/discovery.json",
  ];
  if (token) lines.push(`  a visitor's report (printed once): /reports/track/${token}`);
  return { terminals: [], lines };
}
