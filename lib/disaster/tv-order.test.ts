import { describe, expect, it } from "vitest";
import { seedHousehold, seedResident, seedStaffMember } from "../../prisma/seed/factories";
import { useTestDatabase } from "../../test/db";
import { recordSafetyReply } from "./safety";
import { tvDisasterView } from "./tv-order";

describe("lib/disaster/tv-order", () => {
  const db = useTestDatabase();

  it("shows the resident's district's active orders (highest level first), her reply, and the nearest open suitable shelters", async () => {
    const { prisma } = db();
    const staff = await seedStaffMember(prisma, { roles: ["DISASTER_OFFICER"] });
    const home = await seedHousehold(prisma, { latitude: 34.0, longitude: 134.5 });
    const her = await seedResident(prisma, { districtId: home.districtId, householdId: home.id });
    const elsewhere = await seedResident(prisma);
    expect(await tvDisasterView({ prisma }, { residentId: her.id })).toEqual({ orders: [], shelters: [] });

    const flood = await prisma.evacuationOrder.create({
      data: { districtId: home.districtId, hazard: "FLOOD", level: 3, message: "高齢者等避難", issuedById: staff.id },
    });
    const slide = await prisma.evacuationOrder.create({
      data: { districtId: home.districtId, hazard: "LANDSLIDE", level: 4, message: "避難指示", issuedById: staff.id },
    });
    await prisma.evacuationOrder.create({
      data: {
        districtId: home.districtId,
        hazard: "FIRE",
        level: 4,
        message: "x",
        issuedById: staff.id,
        status: "LIFTED",
      },
    });
    const shelter = (code: string, lat: number, open: boolean, hazards: ("FLOOD" | "TSUNAMI")[] = []) =>
      prisma.shelter.create({
        data: {
          code,
          name: code,
          nameEn: code,
          kind: "DESIGNATED",
          districtId: home.districtId,
          address: "一枚町",
          latitude: lat,
          longitude: 134.5,
          capacity: 100,
          open,
          hazards,
        },
      });
    await shelter("far", 34.1, true);
    await shelter("near", 34.01, true);
    await shelter("closed", 34.0, false);
    await shelter("tsunami-only", 34.0, true, ["TSUNAMI"]);
    await recordSafetyReply(
      { prisma },
      { orderId: flood.id, residentId: her.id, status: "SAFE", channel: "TV", actor: { type: "resident", id: her.id } },
    );

    const view = await tvDisasterView({ prisma }, { residentId: her.id });
    expect(view.orders.map((o) => [o.id, o.level])).toEqual([
      [slide.id, 4],
      [flood.id, 3],
    ]);
    expect(view.orders[1]!.reply?.status).toBe("SAFE");
    expect(view.orders[0]!.reply).toBeNull();
    expect(view.shelters.map((s) => s.name)).toEqual(["near", "far", "tsunami-only"]);
    expect(view.shelters[0]!.distanceKm).toBeCloseTo(1.1, 1);
    expect((await tvDisasterView({ prisma }, { residentId: elsewhere.id })).orders).toEqual([]);
  });
});
