import { describe, expect, it } from "vitest";
import { estimateAtHome } from "../../lib/disaster/at-home";
import { useTestDatabase } from "../../test/db";
import type { TDemoCardPick } from "./demo-cards";
import { DEMO_SERVICE_SEEDERS, type TDemoServiceContext } from "./demo-services";
import { DEMO_CATV_SLUG, seedDemoTv } from "./demo-tv";
import { seedHousehold, seedResident } from "./factories";

describe("demo TV and set-top boxes (prisma/seed/demo-tv.ts)", () => {
  const db = useTestDatabase();

  it("[DEMO][TV]: enrols boxes of the CATV operator; only opted-in boxes keep activity; a second run adds no history", async () => {
    const p = db().prisma;
    expect(DEMO_SERVICE_SEEDERS).toContain(seedDemoTv);
    const pick = async (role: string): Promise<TDemoCardPick> => {
      const h = await seedHousehold(p);
      const r = await seedResident(p, { householdId: h.id, districtId: h.districtId });
      return { id: r.id, registryNumber: r.registryNumber, name: `試験\u3000${role}`, role, bind: true };
    };
    const elderly = await pick("elderly");
    const adult = await pick("adult");
    const ctx = { prisma: p, cardHolders: [elderly, adult] } as unknown as TDemoServiceContext;

    const first = await seedDemoTv(ctx);
    const catv = await p.partner.findUniqueOrThrow({ where: { slug: DEMO_CATV_SLUG } });
    expect(catv.kind).toBe("CATV_OPERATOR");
    const boxes = await p.setTopBox.findMany({ include: { terminal: true, _count: { select: { heartbeats: true } } } });
    expect(boxes.length).toBeGreaterThanOrEqual(2);
    expect(boxes.every((b) => b.terminal.mode === "SET_TOP_BOX" && b.terminal.partnerId === catv.id)).toBe(true);
    const boxOf = async (r: TDemoCardPick) => {
      const { householdId } = await p.resident.findUniqueOrThrow({ where: { id: r.id } });
      return boxes.find((b) => b.householdId === householdId)!;
    };
    expect((await boxOf(elderly))._count.heartbeats).toBeGreaterThan(5);
    expect((await boxOf(adult))._count.heartbeats).toBe(0);
    expect(first.lines.join("\n")).toContain("/api/terminal/heartbeat");

    const now = new Date();
    const est = await estimateAtHome(
      { prisma: p },
      { residentIds: [elderly.id, adult.id], since: new Date(now.getTime() - 3_600_000), until: now },
    );
    expect([...est.keys()]).toEqual([elderly.id]);

    const before = await p.setTopBoxHeartbeat.count();
    await seedDemoTv(ctx);
    // Only the fresh power-on may be added (coalesced within the minute): no second day of history.
    expect(await p.setTopBoxHeartbeat.count()).toBeLessThanOrEqual(before + 2);
    expect(await p.setTopBoxOptIn.count({ where: { withdrawnAt: null } })).toBe(await p.setTopBoxOptIn.count());
  });
});
