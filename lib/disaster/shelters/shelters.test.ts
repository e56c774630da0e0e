import { describe, expect, it } from "vitest";
import { seedResident, seedStaffMember } from "../../../prisma/seed/factories";
import { makeToken } from "../../../test/auth/jpki-world";
import { useTestDatabase } from "../../../test/db";
import { PORTAL, usePlatformWorld } from "../../../test/platform/platform-world";
import { enrolledKiosk } from "../../../test/platform/terminal-world";
import { rejectionCode } from "../../../test/rejection-code";
import type { PrismaClient } from "../../db/client";
import type { TPlatformContext } from "../../platform/platform-context";
import type { TTerminalDevice } from "../../platform/terminals/authenticate-terminal-device";
import { startTerminalTap } from "../../platform/terminals/terminal-tap";
import { recordCheckIn, recordCheckOut } from "./check-in";
import { listUnaccounted, shelterDashboard } from "./dashboard";
import { dashboardChanges } from "./dashboard-stream";
import { familyStatus } from "./household";
import { setShelterOpen } from "./shelters";
import { checkInByTap, checkInCompanion, checkOutByTap } from "./terminal-check-in";

const code = (p: Promise<unknown>) => rejectionCode(p, { zod: true });
// Cards are issued with the real clock, so the kiosk runs on it too.
const NOW = new Date();

describe("shelters: check-in by card tap, check-out, transfer, the dashboard and the family view", () => {
  const db = useTestDatabase();
  const world = usePlatformWorld();

  let shelterSeq = 0;
  async function shelter(
    prisma: PrismaClient,
    o: { partnerId?: string; districtId: string; capacity?: number; open?: boolean },
  ) {
    shelterSeq++;
    return prisma.shelter.create({
      data: {
        code: `S-${shelterSeq}-${Math.random().toString(36).slice(2, 8)}`,
        name: `避難所${shelterSeq}`,
        nameEn: `Shelter ${shelterSeq}`,
        kind: "DESIGNATED",
        districtId: o.districtId,
        address: "一枚町1-1",
        latitude: 33.92,
        longitude: 134.64,
        capacity: o.capacity ?? 100,
        partnerId: o.partnerId ?? null,
        open: o.open ?? true,
      },
    });
  }

  async function setting(prisma: PrismaClient) {
    const ctx: TPlatformContext = { ...world().context(prisma), now: () => NOW };
    const town = await world().partner(prisma, { kind: "HOSPITAL", scopes: ["eligibility:verify"] });
    const { resident, card } = await world().resident(prisma);
    const s = await shelter(prisma, { partnerId: town.partnerId, districtId: resident.districtId, capacity: 1 });
    const device = await enrolledKiosk(prisma, { partner: town.partnerId, label: s.code, mode: "SHELTER" });
    const staff = await seedStaffMember(prisma, { roles: ["DISASTER_OFFICER"] });
    return { ctx, town, resident, card, shelter: s, device, staff };
  }

  async function tapRequest(
    ctx: TPlatformContext,
    device: TTerminalDevice,
    card: { auth: Parameters<typeof makeToken>[0] },
  ) {
    const c = await startTerminalTap(ctx, { device });
    return {
      terminalBinding: c.terminalBinding,
      request: { nonce: c.nonce, token: await makeToken(card.auth, c.nonce, PORTAL) },
    };
  }

  async function tap(
    ctx: TPlatformContext,
    device: TTerminalDevice,
    card: { auth: Parameters<typeof makeToken>[0] },
    o: { transfer?: boolean } = {},
  ) {
    const t = await tapRequest(ctx, device, card);
    return checkInByTap(ctx, {
      device,
      terminalBinding: t.terminalBinding,
      request: { ...t.request, ...(o.transfer ? { transfer: true } : {}) },
    });
  }

  async function tapOut(
    ctx: TPlatformContext,
    device: TTerminalDevice,
    card: { auth: Parameters<typeof makeToken>[0] },
  ) {
    return checkOutByTap(ctx, { device, ...(await tapRequest(ctx, device, card)) });
  }

  it("checks a resident in by tap once, with the district's active order, audited with partner and terminal; a second tap is refused", async () => {
    const { prisma } = db();
    const { ctx, town, resident, card, shelter: s, device, staff } = await setting(prisma);
    const order = await prisma.evacuationOrder.create({
      data: { districtId: resident.districtId, hazard: "FLOOD", level: 4, message: "避難", issuedById: staff.id },
    });
    const answer = await tap(ctx, device, card);
    expect(answer).toMatchObject({
      object: "shelter_check_in",
      name: `${resident.familyName} ${resident.givenName}`,
      shelter: { code: s.code },
      occupancy: 1,
      capacity: 1,
      overCapacity: false,
      transferred: false,
    });
    const rows = await prisma.shelterCheckIn.findMany({ where: { residentId: resident.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ orderId: order.id, terminalId: device.id, shelterId: s.id, checkedOutAt: null });
    const event = await prisma.auditEvent.findFirstOrThrow({
      where: { type: "disaster.shelter_checked_in", subjectResidentId: resident.id },
    });
    expect(event).toMatchObject({ actorType: "partner", actorId: town.partnerId, channel: "terminal" });
    expect(event.data).toMatchObject({ terminal: s.code, terminalDeviceId: device.id, orderId: order.id });

    expect(await code(tap(ctx, device, card))).toBe("SHELTER_ALREADY_CHECKED_IN");
    expect(await prisma.shelterCheckIn.count({ where: { residentId: resident.id } })).toBe(1);
    // The database itself refuses a second open check-in.
    await expect(
      prisma.shelterCheckIn.create({ data: { shelterId: s.id, residentId: resident.id } }),
    ).rejects.toThrow();
  });

  it("refuses a closed shelter, an unknown card and a revoked card; allows over capacity with a warning", async () => {
    const { prisma } = db();
    const { ctx, resident, card, shelter: s, device, staff } = await setting(prisma);
    await setShelterOpen(
      { prisma },
      { shelterId: s.id, open: false, staff: { staffId: staff.id, roles: staff.roles } },
    );
    expect(await code(tap(ctx, device, card))).toBe("SHELTER_CLOSED");
    await setShelterOpen({ prisma }, { shelterId: s.id, open: true, staff: { staffId: staff.id, roles: staff.roles } });
    expect(
      await code(
        setShelterOpen({ prisma }, { shelterId: s.id, open: false, staff: { staffId: staff.id, roles: ["CLERK"] } }),
      ),
    ).toBe("FORBIDDEN");

    const stranger = await world().resident(prisma, { bindAuth: false });
    expect(await code(tap(ctx, device, stranger.card))).toBe("CARD_UNKNOWN");

    const first = await tap(ctx, device, card);
    expect(first.overCapacity).toBe(false);
    const other = await world().resident(prisma);
    const second = await tap(ctx, device, other.card);
    expect(second).toMatchObject({ occupancy: 2, capacity: 1, overCapacity: true });

    const lost = await world().resident(prisma);
    await world().jlis.reportLost({ residentRef: lost.resident.registryNumber });
    expect(await code(tap(ctx, device, lost.card))).toBe("CERT_REVOKED");
    expect(await prisma.shelterCheckIn.count({ where: { residentId: lost.resident.id } })).toBe(0);
    expect(resident.id).toBeTruthy();
  });

  it("checks out by tap, and transfers: the old check-in closed, the new one naming it", async () => {
    const { prisma } = db();
    const { ctx, town, resident, card, shelter: s, device } = await setting(prisma);
    const s2 = await shelter(prisma, { partnerId: town.partnerId, districtId: resident.districtId });
    const device2 = await enrolledKiosk(prisma, { partner: town.partnerId, label: s2.code, mode: "SHELTER" });

    expect(await code(tapOut(ctx, device, card))).toBe("SHELTER_NOT_CHECKED_IN");
    await tap(ctx, device, card);
    // At another shelter without `transfer`: refused, still counted once.
    expect(await code(tap(ctx, device2, card))).toBe("SHELTER_ALREADY_CHECKED_IN");
    const moved = await tap(ctx, device2, card, { transfer: true });
    expect(moved).toMatchObject({ transferred: true, shelter: { code: s2.code } });
    const rows = await prisma.shelterCheckIn.findMany({
      where: { residentId: resident.id },
      orderBy: { checkedInAt: "asc" },
    });
    expect(rows).toHaveLength(2);
    const [old, now] = [rows.find((r) => r.shelterId === s.id)!, rows.find((r) => r.shelterId === s2.id)!];
    expect(old.checkedOutAt).not.toBeNull();
    expect(now).toMatchObject({ transferredFromId: old.id, checkedOutAt: null });

    // Check-out only at the shelter where the resident is.
    expect(await code(tapOut(ctx, device, card))).toBe("SHELTER_NOT_CHECKED_IN");
    expect(await tapOut(ctx, device2, card)).toMatchObject({ object: "shelter_check_out" });
    expect(await prisma.shelterCheckIn.count({ where: { residentId: resident.id, checkedOutAt: null } })).toBe(0);
    const outs = await prisma.auditEvent.count({
      where: { type: "disaster.shelter_checked_out", subjectResidentId: resident.id },
    });
    expect(outs).toBe(2);
  });

  it("offers the household by name; a child under 15 is checked in without a card with a member's fresh check-in, no one else", async () => {
    const { prisma } = db();
    const { ctx, resident, card, device } = await setting(prisma);
    const child = await seedResident(prisma, {
      householdId: resident.householdId,
      districtId: resident.districtId,
      dateOfBirth: new Date("2018-05-05T00:00:00Z"),
    });
    const adult = await seedResident(prisma, {
      householdId: resident.householdId,
      districtId: resident.districtId,
      dateOfBirth: new Date("1970-05-05T00:00:00Z"),
    });
    const answer = await tap(ctx, device, card);
    expect(answer.household).toEqual([
      { name: `${adult.familyName} ${adult.givenName}` },
      { name: `${child.familyName} ${child.givenName}`, companionId: child.id },
    ]);
    const refused = (companionId: string, checkInId = answer.checkInId) =>
      code(checkInCompanion(ctx, { device, request: { checkInId, companionId } }));
    expect(await refused(adult.id)).toBe("SHELTER_COMPANION_NOT_ALLOWED");
    const neighbour = await seedResident(prisma, { dateOfBirth: new Date("2019-01-01T00:00:00Z") });
    expect(await refused(neighbour.id)).toBe("SHELTER_COMPANION_NOT_ALLOWED");
    const withChild = await checkInCompanion(ctx, {
      device,
      request: { checkInId: answer.checkInId, companionId: child.id },
    });
    expect(withChild.name).toBe(`${child.familyName} ${child.givenName}`);
    const event = await prisma.auditEvent.findFirstOrThrow({
      where: { type: "disaster.shelter_checked_in", subjectResidentId: child.id },
    });
    expect(event.data).toMatchObject({ withoutCard: true, confirmedWith: answer.checkInId });
    expect(await refused(child.id)).toBe("SHELTER_ALREADY_CHECKED_IN");
    // Too late: the window after the member's tap has passed.
    const late: TPlatformContext = { ...ctx, now: () => new Date(NOW.getTime() + 11 * 60_000) };
    await recordCheckOut(prisma, { residentId: child.id, actor: { type: "staff", id: "x" }, now: NOW });
    expect(
      await code(checkInCompanion(late, { device, request: { checkInId: answer.checkInId, companionId: child.id } })),
    ).toBe("SHELTER_COMPANION_NOT_ALLOWED");
  });

  it("the dashboard counts heads, needs and the unaccounted; the named list and the family view are audited", async () => {
    const { prisma } = db();
    const { ctx, resident, card, shelter: s, device, staff } = await setting(prisma);
    await prisma.resident.update({ where: { id: resident.id }, data: { needs: ["wheelchair"] } });
    const spouse = await seedResident(prisma, { householdId: resident.householdId, districtId: resident.districtId });
    const replier = await seedResident(prisma, { districtId: resident.districtId });
    const order = await prisma.evacuationOrder.create({
      data: {
        districtId: resident.districtId,
        hazard: "FLOOD",
        level: 4,
        message: "避難",
        issuedById: staff.id,
        issuedAt: new Date(NOW.getTime() - 3_600_000),
      },
    });
    await prisma.safetyReply.create({
      data: { orderId: order.id, residentId: replier.id, status: "SAFE", channel: "WEB" },
    });
    const dctx = { prisma, now: () => NOW };
    const before = await shelterDashboard(dctx);
    const district = () => before.districts.find((d) => d.districtId === resident.districtId)!;
    expect(district()).toMatchObject({ level: 4, replied: 1, checkedIn: 0 });
    const unaccountedBefore = district().unaccounted;

    await tap(ctx, device, card);
    const after = await shelterDashboard(dctx);
    expect(after.version).not.toBe(before.version);
    const row = after.shelters.find((x) => x.id === s.id)!;
    expect(row).toMatchObject({
      headCount: 1,
      capacity: 1,
      occupancyPercent: 100,
      needs: [{ need: "wheelchair", count: 1 }],
    });
    expect(row.supplies.find((l) => l.id === "water")).toMatchObject({ quantity: 3 });
    expect(after.districts.find((d) => d.districtId === resident.districtId)).toMatchObject({
      checkedIn: 1,
      unaccounted: unaccountedBefore - 1,
    });
    expect((await shelterDashboard(dctx)).version).toBe(after.version);

    const named = await listUnaccounted(dctx, { staff: { staffId: staff.id, roles: ["DISASTER_OFFICER"] } });
    expect(named.map((n) => n.residentId)).toContain(spouse.id);
    expect(named.map((n) => n.residentId)).not.toContain(resident.id);
    expect(named.map((n) => n.residentId)).not.toContain(replier.id);
    expect(
      await prisma.auditEvent.count({ where: { type: "disaster.unaccounted_viewed", subjectResidentId: spouse.id } }),
    ).toBe(1);
    expect(await code(listUnaccounted(dctx, { staff: { staffId: staff.id, roles: ["CLERK"] } }))).toBe("FORBIDDEN");

    const family = await familyStatus(dctx, { residentId: spouse.id });
    const me = family.find((m) => m.residentId === resident.id)!;
    expect(me).toMatchObject({ relation: "household", underOrder: true, shelter: { code: s.code } });
    expect(family.find((m) => m.residentId === spouse.id)).toMatchObject({ relation: "self", shelter: null });
    const viewed = await prisma.auditEvent.findFirstOrThrow({
      where: { type: "disaster.household_status_viewed", subjectResidentId: resident.id },
    });
    expect(viewed).toMatchObject({ actorType: "resident", actorId: spouse.id });
  });

  it("the dashboard stream yields a snapshot at first and again only when a figure changed", async () => {
    const { prisma } = db();
    const { ctx, card, shelter: s, device } = await setting(prisma);
    const stop = new AbortController();
    let rounds = 0;
    // Each "sleep" is one poll: after the 2nd poll a resident checks in; after the 5th the stream stops.
    const sleep = async () => {
      rounds++;
      if (rounds === 2) await tap(ctx, device, card);
      if (rounds === 5) stop.abort();
    };
    const seen: { headCount?: number; idle?: true }[] = [];
    for await (const change of dashboardChanges(
      { prisma },
      { signal: stop.signal, intervalMs: 1000, keepAliveMs: 2000, sleep },
    )) {
      seen.push(
        "idle" in change ? { idle: true } : { headCount: change.shelters.find((x) => x.id === s.id)?.headCount },
      );
    }
    // poll 1: snapshot (0); poll 2: unchanged; poll 3: snapshot (1); poll 4: unchanged; poll 5: unchanged for 2 s → idle.
    expect(seen).toEqual([{ headCount: 0 }, { headCount: 1 }, { idle: true }]);
  });

  it("recordCheckIn at the console needs no terminal, and a transfer needs an open check-in elsewhere", async () => {
    const { prisma } = db();
    const { resident, shelter: s, staff } = await setting(prisma);
    const r = await recordCheckIn(prisma, {
      shelterId: s.id,
      residentId: resident.id,
      actor: { type: "staff", id: staff.id },
      transfer: true,
      now: NOW,
    });
    expect(r).toMatchObject({ transferredFrom: null, orderId: null });
    const ev = await prisma.auditEvent.findFirstOrThrow({
      where: { type: "disaster.shelter_checked_in", subjectResidentId: resident.id },
    });
    expect(ev.channel).toBe("console");
  });
});
