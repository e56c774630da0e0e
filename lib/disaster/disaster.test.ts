import { describe, expect, it } from "vitest";
import { seedHousehold, seedPartner, seedResident, seedStaffMember } from "../../prisma/seed/factories";
import { useTestDatabase } from "../../test/db";
import { rejectionCode } from "../../test/rejection-code";
import { estimateAtHome } from "./at-home";
import { recordSafetyReply } from "./safety";

describe("lib/disaster", () => {
  const db = useTestDatabase();

  async function orderFixture() {
    const { prisma } = db();
    const staff = await seedStaffMember(prisma, { roles: ["DISASTER_OFFICER"] });
    const household = await seedHousehold(prisma);
    const resident = await seedResident(prisma, { districtId: household.districtId, householdId: household.id });
    const elsewhere = await seedResident(prisma);
    const order = await prisma.evacuationOrder.create({
      data: {
        districtId: household.districtId,
        hazard: "FLOOD",
        level: 4,
        message: "避難してください",
        issuedById: staff.id,
      },
    });
    return { staff, household, resident, elsewhere, order };
  }

  describe("recordSafetyReply", () => {
    it("keeps one reply per order and resident, the latest answer winning, and audits each change", async () => {
      const { prisma } = db();
      const { resident, order } = await orderFixture();
      const actor = { type: "resident" as const, id: resident.id };
      const base = { orderId: order.id, residentId: resident.id, actor };
      expect((await recordSafetyReply({ prisma }, { ...base, status: "NEEDS_HELP", channel: "WEB" })).changed).toBe(
        true,
      );
      expect((await recordSafetyReply({ prisma }, { ...base, status: "NEEDS_HELP", channel: "TV" })).changed).toBe(
        false,
      );
      expect((await recordSafetyReply({ prisma }, { ...base, status: "SAFE", channel: "TV" })).changed).toBe(true);
      const rows = await prisma.safetyReply.findMany({ where: { orderId: order.id } });
      expect(rows.map((r) => [r.status, r.channel])).toEqual([["SAFE", "TV"]]);
      const events = await prisma.auditEvent.findMany({
        where: { type: "disaster.safety_replied", subjectResidentId: resident.id },
        orderBy: { seq: "asc" },
      });
      expect(events.map((e) => (e.data as { status: string }).status)).toEqual(["NEEDS_HELP", "SAFE"]);
      expect(events[1]!.channel).toBe("tv");
    });

    it("refuses a lifted order, another district's resident and an unknown order", async () => {
      const { prisma } = db();
      const { resident, elsewhere, order } = await orderFixture();
      const reply = (residentId: string, orderId = order.id) =>
        recordSafetyReply(
          { prisma },
          { orderId, residentId, status: "SAFE", channel: "WEB", actor: { type: "resident", id: residentId } },
        );
      expect(await rejectionCode(reply(elsewhere.id))).toBe("DISASTER_NOT_IN_ORDER_AREA");
      expect(await rejectionCode(reply(resident.id, "00000000-0000-4000-8000-000000000000"))).toBe(
        "DISASTER_ORDER_NOT_FOUND",
      );
      expect(await rejectionCode(reply(resident.id, "not-a-uuid"))).toBe("DISASTER_ORDER_NOT_FOUND");
      await prisma.evacuationOrder.update({
        where: { id: order.id },
        data: { status: "LIFTED", liftedAt: new Date() },
      });
      expect(await rejectionCode(reply(resident.id))).toBe("DISASTER_ORDER_LIFTED");
      expect(await prisma.safetyReply.count({ where: { orderId: order.id } })).toBe(0);
    });

    it("allows one active order per district and hazard, and levels 1 to 5 only", async () => {
      const { prisma } = db();
      const { staff, order } = await orderFixture();
      const again = {
        districtId: order.districtId,
        hazard: "FLOOD" as const,
        level: 3,
        message: "x",
        issuedById: staff.id,
      };
      await expect(prisma.evacuationOrder.create({ data: again })).rejects.toThrow();
      await expect(
        prisma.evacuationOrder.create({ data: { ...again, hazard: "LANDSLIDE", level: 6 } }),
      ).rejects.toThrow();
      await prisma.evacuationOrder.create({ data: { ...again, hazard: "LANDSLIDE" } });
    });
  });

  describe("estimateAtHome", () => {
    it("gives the latest heartbeat in the window of an opted-in box of the resident's household, and nothing else", async () => {
      const { prisma } = db();
      const { household, resident } = await orderFixture();
      const neighbour = await seedResident(prisma, { districtId: household.districtId, householdId: household.id });
      const withdrawn = await seedResident(prisma, { districtId: household.districtId, householdId: household.id });
      const catv = await seedPartner(prisma, { kind: "CATV_OPERATOR" });
      const terminal = await prisma.terminalDevice.create({
        data: { partnerId: catv.id, label: `stb-${household.code}`, mode: "SET_TOP_BOX" },
      });
      const box = await prisma.setTopBox.create({ data: { terminalId: terminal.id, householdId: household.id } });
      await prisma.setTopBoxOptIn.createMany({
        data: [
          { boxId: box.id, residentId: resident.id },
          { boxId: box.id, residentId: withdrawn.id, withdrawnAt: new Date() },
        ],
      });
      const t = (m: number) => new Date(Date.UTC(2026, 8, 1, 9, m));
      await prisma.setTopBoxHeartbeat.createMany({
        data: [
          { boxId: box.id, activity: "POWER_ON", at: t(0) },
          { boxId: box.id, activity: "REMOTE", at: t(20) },
          { boxId: box.id, activity: "POWER_OFF", at: t(50) },
        ],
      });
      const ids = [resident.id, neighbour.id, withdrawn.id];
      const inWindow = await estimateAtHome({ prisma }, { residentIds: ids, since: t(10), until: t(30) });
      expect([...inWindow.keys()]).toEqual([resident.id]);
      expect(inWindow.get(resident.id)).toMatchObject({ activity: "REMOTE", lastActivityAt: t(20), boxId: box.id });
      const silent = await estimateAtHome({ prisma }, { residentIds: ids, since: t(51), until: t(59) });
      expect(silent.size).toBe(0);
    });
  });
});
