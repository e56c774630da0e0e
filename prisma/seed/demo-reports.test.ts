import { describe, expect, it } from "vitest";
import { hasExifGps } from "../../test/reports/reports-world";
import { useTestDatabase } from "../../test/db";
import { createTestPartnerCa } from "../../test/mailbox/mailbox-world";
import { roadBoard } from "../../lib/reports/roads";
import { pickDemoCardHolders } from "./demo-cards";
import { seedDemoMunicipality } from "./demo";
import { DEMO_ROAD_SEGMENTS, seedDemoReports } from "./demo-reports";
import { DEMO_SERVICE_SEEDERS } from "./demo-services";

describe("demo reports, roads and probe data", () => {
  const db = useTestDatabase();

  it("seeds segments, reports with metadata-free photos, the bus's probe scope and probe points — once", async () => {
    const prisma = db().prisma;
    expect(DEMO_SERVICE_SEEDERS).toContain(seedDemoReports);
    const town = await seedDemoMunicipality(prisma);
    const cardHolders = pickDemoCardHolders(
      town.residents,
      town.staff.map((s) => s.residentId),
    );
    const ctx = { prisma, town, cardHolders, partnerCa: await createTestPartnerCa() };
    const first = await seedDemoReports(ctx);
    expect(first.lines.some((l) => l.includes("/reports/track/"))).toBe(true);
    await seedDemoReports(ctx);
    expect(await prisma.roadSegment.count()).toBe(DEMO_ROAD_SEGMENTS.length);
    expect(await prisma.report.count()).toBe(4);
    // Every seeded segment and report lies in the town (the flow refuses anything else).
    const photos = await prisma.reportPhoto.findMany();
    expect(photos.length).toBe(3);
    for (const p of photos) expect(await hasExifGps(new Uint8Array(p.bytes))).toBe(false);
    expect(await prisma.report.count({ where: { status: "IN_PROGRESS", publicNote: { not: null } } })).toBe(1);
    const bus = await prisma.partner.findUniqueOrThrow({ where: { slug: "ichimai-bus" } });
    expect(bus.approvedScopes).toContain("probe:write");
    expect(await prisma.partnerCredential.count({ where: { partnerId: bus.id, scopes: { has: "probe:write" } } })).toBe(
      1,
    );
    expect(await prisma.probePoint.count()).toBe(6);
    const board = await roadBoard(prisma);
    expect(board.find((s) => s.code === "R1")?.level).toBe("CONGESTED");
    expect(board.find((s) => s.code === "R2")?.level).toBe("FREE");
  });
});
