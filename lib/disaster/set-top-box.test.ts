import { describe, expect, it } from "vitest";
import { seedHousehold, seedPartner, seedResident } from "../../prisma/seed/factories";
import { useTestDatabase } from "../../test/db";
import { rejectionCode } from "../../test/rejection-code";
import { listConsents } from "../consent/list-consents";
import { runHousekeeping } from "../jobs/housekeeping";
import { estimateAtHome } from "./at-home";
import {
  enrolSetTopBox,
  listResidentSetTopBoxes,
  optInSetTopBox,
  pruneSetTopBoxHeartbeats,
  recordSetTopBoxHeartbeat,
  withdrawSetTopBox,
} from "./set-top-box";

const MIN = 60_000;

describe("lib/disaster/set-top-box", () => {
  const db = useTestDatabase();

  /** A clock the test moves by hand. */
  function clock(start = new Date("2026-12-01T09:00:00Z")) {
    let t = start.getTime();
    return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
  }

  async function boxFixture() {
    const { prisma } = db();
    const catv = await seedPartner(prisma, { kind: "CATV_OPERATOR", approvedScopes: [] });
    const household = await seedHousehold(prisma);
    const mother = await seedResident(prisma, { districtId: household.districtId, householdId: household.id });
    const son = await seedResident(prisma, { districtId: household.districtId, householdId: household.id });
    const c = clock();
    const ctx = { prisma, now: c.now };
    const box = await enrolSetTopBox(ctx, {
      partner: catv.slug,
      label: `stb-${household.id}`,
      householdId: household.id,
    });
    return { ctx, c, catv, household, mother, son, box };
  }

  it("refuses an unknown token, a malformed one and a kiosk's token with SET_TOP_BOX_UNKNOWN", async () => {
    const { prisma } = db();
    const ctx = { prisma };
    const beat = (token: string | undefined) => recordSetTopBoxHeartbeat(ctx, { token, activity: "POWER_ON" });
    expect(await rejectionCode(beat(undefined))).toBe("SET_TOP_BOX_UNKNOWN");
    expect(await rejectionCode(beat("short"))).toBe("SET_TOP_BOX_UNKNOWN");
    expect(await rejectionCode(beat("A".repeat(43)))).toBe("SET_TOP_BOX_UNKNOWN");
    // A disabled box is unknown too.
    const { box } = await boxFixture();
    await prisma.terminalDevice.update({ where: { id: box.terminalId }, data: { active: false } });
    expect(await rejectionCode(beat(box.token))).toBe("SET_TOP_BOX_UNKNOWN");
  });

  it("enrols only for a CATV operator", async () => {
    const { prisma } = db();
    const bank = await seedPartner(prisma, { kind: "BANK" });
    const household = await seedHousehold(prisma);
    expect(
      await rejectionCode(enrolSetTopBox({ prisma }, { partner: bank.slug, label: "x", householdId: household.id })),
    ).toBe("SET_TOP_BOX_PARTNER_INVALID");
  });

  it("drops heartbeats while no current household member opted in", async () => {
    const { ctx, box, mother, son } = await boxFixture();
    const { prisma } = ctx;
    expect(await recordSetTopBoxHeartbeat(ctx, { token: box.token, activity: "POWER_ON" })).toEqual({
      stored: false,
      reason: "NO_CONSENT",
    });
    // A member who moved out does not count.
    await optInSetTopBox(ctx, { residentId: son.id, boxId: box.boxId });
    await prisma.resident.update({ where: { id: son.id }, data: { leftAt: new Date() } });
    expect((await recordSetTopBoxHeartbeat(ctx, { token: box.token, activity: "POWER_ON" })).stored).toBe(false);
    await optInSetTopBox(ctx, { residentId: mother.id, boxId: box.boxId });
    expect((await recordSetTopBoxHeartbeat(ctx, { token: box.token, activity: "POWER_ON" })).stored).toBe(true);
    expect(await prisma.setTopBoxHeartbeat.count({ where: { boxId: box.boxId } })).toBe(1);
  });

  it("coalesces the same activity within a minute, so a chatty remote writes one row a minute", async () => {
    const { ctx, c, box, mother } = await boxFixture();
    await optInSetTopBox(ctx, { residentId: mother.id, boxId: box.boxId });
    const remote = () => recordSetTopBoxHeartbeat(ctx, { token: box.token, activity: "REMOTE" });
    expect((await remote()).stored).toBe(true);
    for (let i = 0; i < 5; i++) {
      c.advance(5_000);
      expect(await remote()).toEqual({ stored: false, reason: "COALESCED" });
    }
    // Another activity is not coalesced with REMOTE.
    expect((await recordSetTopBoxHeartbeat(ctx, { token: box.token, activity: "POWER_OFF" })).stored).toBe(true);
    c.advance(MIN);
    expect((await remote()).stored).toBe(true);
    const rows = await ctx.prisma.setTopBoxHeartbeat.findMany({ where: { boxId: box.boxId }, orderBy: { at: "asc" } });
    expect(rows.map((r) => r.activity)).toEqual(["REMOTE", "POWER_OFF", "REMOTE"]);
    // The kept activity is what the at-home estimate reads.
    const est = await estimateAtHome(ctx, {
      residentIds: [mother.id],
      since: new Date(c.now().getTime() - 3_600_000),
      until: c.now(),
    });
    expect(est.get(mother.id)?.activity).toBe("REMOTE");
  });

  it("withdrawing deletes the box's heartbeats only when no one else in the household still consents", async () => {
    const { ctx, box, mother, son } = await boxFixture();
    const { prisma } = ctx;
    await optInSetTopBox(ctx, { residentId: mother.id, boxId: box.boxId });
    expect((await optInSetTopBox(ctx, { residentId: son.id, boxId: box.boxId })).changed).toBe(true);
    expect((await optInSetTopBox(ctx, { residentId: son.id, boxId: box.boxId })).changed).toBe(false);
    await recordSetTopBoxHeartbeat(ctx, { token: box.token, activity: "POWER_ON" });

    // The consent ledger lists the opt-in until it is withdrawn.
    const ledger = await listConsents(prisma, { residentId: son.id, channel: "pc" });
    expect(ledger.setTopBox.map((b) => b.boxId)).toEqual([box.boxId]);
    const [listed] = await listResidentSetTopBoxes(ctx, { residentId: son.id });
    expect(listed).toMatchObject({ boxId: box.boxId, othersOptedIn: 1, keptCount: 1 });
    expect(listed!.optedInAt).not.toBeNull();

    expect(await withdrawSetTopBox(ctx, { residentId: son.id, boxId: box.boxId })).toEqual({
      changed: true,
      deletedHeartbeats: 0,
    });
    expect(await prisma.setTopBoxHeartbeat.count({ where: { boxId: box.boxId } })).toBe(1);
    expect((await listConsents(prisma, { residentId: son.id, channel: "pc" })).setTopBox).toEqual([]);
    expect(await withdrawSetTopBox(ctx, { residentId: mother.id, boxId: box.boxId })).toEqual({
      changed: true,
      deletedHeartbeats: 1,
    });
    expect(await prisma.setTopBoxHeartbeat.count({ where: { boxId: box.boxId } })).toBe(0);
    const events = await prisma.auditEvent.findMany({
      where: { subjectResidentId: mother.id, type: { in: ["set_top_box.opted_in", "set_top_box.withdrawn"] } },
      orderBy: { seq: "asc" },
    });
    expect(events.map((e) => e.type)).toEqual(["set_top_box.opted_in", "set_top_box.withdrawn"]);
    expect((events[1]!.data as { deletedHeartbeats: number }).deletedHeartbeats).toBe(1);
  });

  it("refuses opting in to another household's box", async () => {
    const { ctx, box } = await boxFixture();
    const stranger = await seedResident(ctx.prisma);
    expect(await rejectionCode(optInSetTopBox(ctx, { residentId: stranger.id, boxId: box.boxId }))).toBe(
      "SET_TOP_BOX_NOT_IN_HOUSEHOLD",
    );
    expect(await rejectionCode(withdrawSetTopBox(ctx, { residentId: stranger.id, boxId: "nope" }))).toBe(
      "SET_TOP_BOX_NOT_IN_HOUSEHOLD",
    );
  });

  it("retention: housekeeping deletes heartbeats older than the retention period", async () => {
    const { ctx, box } = await boxFixture();
    const { prisma } = ctx;
    const now = ctx.now();
    const day = 86_400_000;
    await prisma.setTopBoxHeartbeat.createMany({
      data: [15, 13, 3].map((d) => ({
        boxId: box.boxId,
        activity: "REMOTE" as const,
        at: new Date(now.getTime() - d * day),
      })),
    });
    expect(await pruneSetTopBoxHeartbeats(ctx, { keepDays: 14 })).toBe(1);
    expect((await runHousekeeping(prisma, now, { setTopBoxHeartbeatDays: 7 })).setTopBoxHeartbeats).toBe(1);
    const left = await prisma.setTopBoxHeartbeat.findMany({ where: { boxId: box.boxId } });
    expect(left.map((r) => Math.round((now.getTime() - r.at.getTime()) / day))).toEqual([3]);
  });
});
