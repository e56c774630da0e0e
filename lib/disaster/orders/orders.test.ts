import { describe, expect, it } from "vitest";
import {
  seedDistrict,
  seedHousehold,
  seedPartner,
  seedResident,
  seedStaffMember,
} from "../../../prisma/seed/factories";
import { useTestDatabase } from "../../../test/db";
import { createTestPartnerCa, issueOrgSigner } from "../../../test/mailbox/mailbox-world";
import { rejectionCode } from "../../../test/rejection-code";
import type { PrismaClient } from "../../db/client";
import { verifyCms } from "../../jpki";
import { canonicalJsonBytes } from "../../mailbox/canonical-json";
import { recordSafetyReply } from "../safety";
import { disasterConsole } from "./console";
import { activeOrderForResident, activeOrdersForResident, markOrderRead, recordTvBanner } from "./active";
import type { TOrdersContext } from "./context";
import { escalateUnreadNotices } from "./escalate";
import { deliverOrderNotices } from "./notices";
import { changeOrderLevel, issueOrder, liftOrder } from "./orders";

const T0 = new Date("2026-09-01T06:30:00Z");
const minutes = (m: number) => new Date(T0.getTime() + m * 60_000);

describe("lib/disaster/orders", () => {
  const db = useTestDatabase();

  async function world(prisma: PrismaClient) {
    // One database per file: shelters and orders are town-wide, so earlier tests' ones go away.
    await prisma.shelter.updateMany({ data: { open: false } });
    await prisma.evacuationOrder.updateMany({ where: { status: "ACTIVE" }, data: { status: "LIFTED", liftedAt: T0 } });
    let clock = T0;
    const ca = await createTestPartnerCa(T0);
    const town = await seedPartner(prisma, { slug: "ichimai-town", name: "一枚町役場", kind: "GOVERNMENT" });
    const signer = await issueOrgSigner(ca, town, T0);
    const ctx: TOrdersContext = {
      prisma,
      now: () => clock,
      townSigner: async () => ({ partnerSlug: town.slug, municipality: "徳島県一枚町", ...signer }),
      issuerTrustAnchors: async () => [ca.certificate],
    };
    const district = await seedDistrict(prisma, { name: "川西地区", nameEn: "Kawanishi" });
    const home = await seedHousehold(prisma, { districtId: district.id, latitude: 33.9, longitude: 134.6 });
    const resident = await seedResident(prisma, { householdId: home.id, needs: ["wheelchair"], language: "en" });
    const left = await seedResident(prisma, { householdId: home.id, leftAt: T0 });
    const sandbox = await seedResident(prisma, { householdId: home.id, sandbox: true });
    const elsewhere = await seedResident(prisma);
    const officer = await seedStaffMember(prisma, { roles: ["DISASTER_OFFICER"] });
    const clerk = await seedStaffMember(prisma, { roles: ["CLERK"] });
    await prisma.shelter.createMany({
      data: [
        {
          code: `S-near-${district.code}`,
          name: "近い体育館",
          nameEn: "Near gym",
          kind: "DESIGNATED",
          districtId: district.id,
          address: "一丁目",
          latitude: 33.905,
          longitude: 134.6,
          capacity: 100,
          open: true,
        },
        {
          code: `S-ramp-${district.code}`,
          name: "スロープのある公民館",
          nameEn: "Hall with ramp",
          kind: "DESIGNATED",
          districtId: district.id,
          address: "二丁目",
          latitude: 33.92,
          longitude: 134.6,
          capacity: 100,
          open: true,
          features: ["wheelchair"],
          languages: ["ja", "en"],
        },
        {
          code: `S-closed-${district.code}`,
          name: "閉鎖中",
          nameEn: "Closed",
          kind: "DESIGNATED",
          districtId: district.id,
          address: "三丁目",
          latitude: 33.9,
          longitude: 134.6,
          capacity: 100,
          open: false,
          features: ["wheelchair"],
        },
      ],
    });
    const staff = { staffId: officer.id, roles: officer.roles };
    return {
      ctx,
      town,
      district,
      resident,
      left,
      sandbox,
      elsewhere,
      staff,
      clerk: { staffId: clerk.id, roles: clerk.roles },
      setClock: (d: Date) => {
        clock = d;
      },
    };
  }

  const input = (district: string, over: Record<string, unknown> = {}) => ({
    district,
    hazard: "FLOOD" as const,
    level: 4,
    message: "川の水位が上がっています。",
    messageEn: "The river is rising.",
    escalateAfterMinutes: 10,
    ...over,
  });

  it("issues, raises, lowers and lifts an order with an event and an audit event for each change", async () => {
    const { prisma } = db();
    const w = await world(prisma);
    const issued = await issueOrder(w.ctx, { staff: w.staff, input: input(w.district.code, { level: "3" }) });
    const raised = await changeOrderLevel(w.ctx, { staff: w.staff, orderId: issued.orderId, level: 5 });
    await changeOrderLevel(w.ctx, { staff: w.staff, orderId: issued.orderId, level: 4 });
    const lifted = await liftOrder(w.ctx, { staff: w.staff, orderId: issued.orderId });
    expect([issued.level, raised.level, lifted.status]).toEqual([3, 5, "LIFTED"]);
    const events = await prisma.evacuationOrderEvent.findMany({
      where: { orderId: issued.orderId },
      orderBy: { at: "asc" },
    });
    expect(events.map((e) => [e.kind, e.level])).toEqual([
      ["ISSUED", 3],
      ["RAISED", 5],
      ["LOWERED", 4],
      ["LIFTED", 4],
    ]);
    const audit = await prisma.auditEvent.findMany({
      where: { type: { startsWith: "disaster.order_" }, actorId: w.staff.staffId },
      orderBy: { seq: "asc" },
    });
    expect(audit.map((a) => a.type)).toEqual([
      "disaster.order_issued",
      "disaster.order_changed",
      "disaster.order_changed",
      "disaster.order_lifted",
    ]);
    const order = await prisma.evacuationOrder.findUniqueOrThrow({ where: { id: issued.orderId } });
    expect(order.liftedAt).toEqual(T0);
  });

  it("refuses bad input with stable codes and writes nothing", async () => {
    const { prisma } = db();
    const w = await world(prisma);
    const issue = (over: Record<string, unknown>, staff = w.staff) =>
      rejectionCode(issueOrder(w.ctx, { staff, input: input(w.district.code, over) }));
    expect(await issue({ district: "36999-99" })).toBe("DISASTER_DISTRICT_UNKNOWN");
    expect(await issue({ district: "00000000-0000-4000-8000-000000000000" })).toBe("DISASTER_DISTRICT_UNKNOWN");
    expect(await issue({ level: 0 })).toBe("DISASTER_LEVEL_INVALID");
    expect(await issue({ level: 6 })).toBe("DISASTER_LEVEL_INVALID");
    expect(await issue({ level: "abc" })).toBe("DISASTER_LEVEL_INVALID");
    expect(await issue({ level: 2.5 })).toBe("DISASTER_LEVEL_INVALID");
    expect(await issue({ message: "a\u0000b" })).toBe("TEXT_CHARACTER_FORBIDDEN");
    expect(await issue({ hazard: "METEOR" })).toBe("VALIDATION_FAILED");
    expect(await issue({}, w.clerk)).toBe("FORBIDDEN");
    expect(await prisma.evacuationOrder.count({ where: { districtId: w.district.id } })).toBe(0);

    const first = await issueOrder(w.ctx, { staff: w.staff, input: input(w.district.code) });
    const again = issueOrder(w.ctx, { staff: w.staff, input: input(w.district.id, { level: 5 }) });
    await expect(again).rejects.toMatchObject({
      code: "DISASTER_ORDER_ALREADY_ACTIVE",
      details: { orderId: first.orderId },
    });
    // Another hazard in the same district is its own order.
    await issueOrder(w.ctx, { staff: w.staff, input: input(w.district.code, { hazard: "LANDSLIDE" }) });

    const change = (level: unknown, orderId = first.orderId) =>
      rejectionCode(changeOrderLevel(w.ctx, { staff: w.staff, orderId, level: level as number }));
    expect(await change(4)).toBe("DISASTER_LEVEL_UNCHANGED");
    expect(await change(9)).toBe("DISASTER_LEVEL_INVALID");
    expect(await change(5, "nope")).toBe("DISASTER_ORDER_NOT_FOUND");
    await liftOrder(w.ctx, { staff: w.staff, orderId: first.orderId });
    expect(await change(5)).toBe("DISASTER_ORDER_LIFTED");
    expect(await rejectionCode(liftOrder(w.ctx, { staff: w.staff, orderId: first.orderId }))).toBe(
      "DISASTER_ORDER_LIFTED",
    );
    const events = await prisma.evacuationOrderEvent.count({ where: { orderId: first.orderId } });
    expect(events).toBe(2);
  });

  it("delivers each resident of the district her own signed notice, and nobody else", async () => {
    const { prisma } = db();
    const w = await world(prisma);
    const issued = await issueOrder(w.ctx, { staff: w.staff, input: input(w.district.code) });
    const result = await deliverOrderNotices(w.ctx, issued);
    expect(result).toEqual({ residents: 1, delivered: 1, refused: 0 });
    const notices = await prisma.evacuationNotice.findMany({ where: { orderId: issued.orderId } });
    expect(notices.map((n) => n.residentId)).toEqual([w.resident.id]);
    const notice = notices[0]!;
    expect(notice).toMatchObject({ level: 4, deliveredAt: T0, emailQueuedAt: T0, readAt: null });
    const doc = await prisma.mailboxDocument.findUniqueOrThrow({ where: { id: notice.documentId! } });
    expect(doc).toMatchObject({
      residentId: w.resident.id,
      type: "evacuation-order",
      issuerPartnerId: w.town.id,
      signatureValid: true,
      language: "en",
    });
    const payload = doc.payload as { recipientName: string; level: number; personalShelters: { name: string }[] };
    expect(payload.recipientName).toBe(`${w.resident.familyName} ${w.resident.givenName}`);
    expect(payload.level).toBe(4);
    // Wheelchair: only the open shelter with a ramp.
    expect(payload.personalShelters.map((s) => s.name)).toEqual(["スロープのある公民館"]);
    const verified = await verifyCms({
      signedData: new Uint8Array(doc.signature),
      detachedContent: canonicalJsonBytes(doc.payload),
      trustAnchors: await w.ctx.issuerTrustAnchors(),
      time: T0,
    });
    expect(verified.valid).toBe(true);
    expect(await prisma.notificationOutbox.count({ where: { documentId: doc.id } })).toBe(1);
    // A retry of the same event delivers nothing twice.
    await deliverOrderNotices(w.ctx, issued);
    expect(await prisma.mailboxDocument.count({ where: { residentId: w.resident.id, type: "evacuation-order" } })).toBe(
      1,
    );
  });

  it("gives the TV and the banner her active order, instruction and shelters in her language", async () => {
    const { prisma } = db();
    const w = await world(prisma);
    expect(await activeOrderForResident(w.ctx, w.resident.id)).toBeNull();
    const low = await issueOrder(w.ctx, {
      staff: w.staff,
      input: input(w.district.code, { hazard: "LANDSLIDE", level: 2 }),
    });
    const high = await issueOrder(w.ctx, { staff: w.staff, input: input(w.district.code) });
    await deliverOrderNotices(w.ctx, low);
    await deliverOrderNotices(w.ctx, high);
    const all = await activeOrdersForResident(w.ctx, w.resident.id);
    expect(all.map((o) => o.level)).toEqual([4, 2]);
    expect(all[1]!.documentId).toBeNull();
    const mine = await activeOrderForResident(w.ctx, w.resident.id);
    expect(mine).toMatchObject({
      orderId: high.orderId,
      hazard: "FLOOD",
      level: 4,
      language: "en",
      urgent: false,
      safety: null,
    });
    expect(mine!.instruction).toContain("The river is rising.");
    expect(mine!.shelters.map((s) => s.nameEn)).toEqual(["Hall with ramp"]);
    expect(await activeOrderForResident(w.ctx, w.elsewhere.id)).toBeNull();
    expect(await activeOrderForResident(w.ctx, w.left.id)).toBeNull();
    await recordSafetyReply(w.ctx, {
      orderId: high.orderId,
      residentId: w.resident.id,
      status: "SAFE",
      channel: "TV",
      actor: { type: "resident", id: w.resident.id },
    });
    expect((await activeOrderForResident(w.ctx, w.resident.id))!.safety?.status).toBe("SAFE");
    w.setClock(minutes(1));
    expect((await recordTvBanner(w.ctx, { orderId: high.orderId, residentId: w.resident.id })).tvBannerAt).toEqual(
      minutes(1),
    );
    w.setClock(minutes(2));
    expect((await recordTvBanner(w.ctx, { orderId: high.orderId, residentId: w.resident.id })).tvBannerAt).toEqual(
      minutes(1),
    );
    expect(await rejectionCode(markOrderRead(w.ctx, { orderId: high.orderId, residentId: w.elsewhere.id }))).toBe(
      "DISASTER_ORDER_NOT_FOUND",
    );
  });

  it("escalates an unread level-4 notice once after the order's minutes, and not a read one", async () => {
    const { prisma } = db();
    const w = await world(prisma);
    const neighbour = await seedResident(prisma, { districtId: w.district.id });
    const issued = await issueOrder(w.ctx, { staff: w.staff, input: input(w.district.code) });
    await deliverOrderNotices(w.ctx, issued);
    w.setClock(minutes(9));
    expect(await escalateUnreadNotices(w.ctx)).toEqual({ escalated: 0 });
    await markOrderRead(w.ctx, { orderId: issued.orderId, residentId: neighbour.id });
    expect((await markOrderRead(w.ctx, { orderId: issued.orderId, residentId: neighbour.id })).changed).toBe(false);
    w.setClock(minutes(10));
    expect(await escalateUnreadNotices(w.ctx)).toEqual({ escalated: 1 });
    expect(await escalateUnreadNotices(w.ctx)).toEqual({ escalated: 0 });
    const notice = await prisma.evacuationNotice.findUniqueOrThrow({
      where: { orderId_residentId: { orderId: issued.orderId, residentId: w.resident.id } },
    });
    expect(notice).toMatchObject({ escalatedAt: minutes(10), emailQueuedAt: minutes(10), readAt: null });
    expect((await activeOrderForResident(w.ctx, w.resident.id))!.urgent).toBe(true);
    expect(
      await prisma.notificationOutbox.count({ where: { residentId: w.resident.id, kind: "evacuation_urgent" } }),
    ).toBe(1);
    const audited = await prisma.auditEvent.findMany({
      where: {
        subjectResidentId: { in: [w.resident.id, neighbour.id] },
        type: { in: ["disaster.notice_escalated", "disaster.notice_read"] },
      },
    });
    expect(audited.map((a) => [a.type, a.subjectResidentId]).sort()).toEqual(
      [
        ["disaster.notice_escalated", w.resident.id],
        ["disaster.notice_read", neighbour.id],
      ].sort(),
    );
    // Raising delivers a new document: read and escalation start again.
    const raised = await changeOrderLevel(w.ctx, { staff: w.staff, orderId: issued.orderId, level: 5 });
    await deliverOrderNotices(w.ctx, raised);
    const again = await prisma.evacuationNotice.findUniqueOrThrow({
      where: { orderId_residentId: { orderId: issued.orderId, residentId: neighbour.id } },
    });
    expect(again).toMatchObject({ level: 5, readAt: null, escalatedAt: null });
    // Opening the document in the mailbox counts as reading it.
    await prisma.mailboxDocument.update({ where: { id: again.documentId! }, data: { readAt: minutes(11) } });
    w.setClock(minutes(30));
    const run = await escalateUnreadNotices(w.ctx);
    expect(run.escalated).toBe(1); // w.resident, not the neighbour who opened it
    const read = await prisma.evacuationNotice.findUniqueOrThrow({ where: { id: again.id } });
    expect(read).toMatchObject({ readAt: minutes(11), escalatedAt: null });
  });

  it("does not escalate below level 4 nor a lifted order", async () => {
    const { prisma } = db();
    const w = await world(prisma);
    const three = await issueOrder(w.ctx, { staff: w.staff, input: input(w.district.code, { level: 3 }) });
    await deliverOrderNotices(w.ctx, three);
    const other = await issueOrder(w.ctx, { staff: w.staff, input: input(w.district.code, { hazard: "TSUNAMI" }) });
    await deliverOrderNotices(w.ctx, other);
    await liftOrder(w.ctx, { staff: w.staff, orderId: other.orderId });
    w.setClock(minutes(60));
    expect(await escalateUnreadNotices(w.ctx)).toEqual({ escalated: 0 });
  });

  it("gives staff each order's read, unread, safe and needs-help counts and each district's level", async () => {
    const { prisma } = db();
    const w = await world(prisma);
    const neighbour = await seedResident(prisma, { districtId: w.district.id });
    const issued = await issueOrder(w.ctx, { staff: w.staff, input: input(w.district.code) });
    await deliverOrderNotices(w.ctx, issued);
    await markOrderRead(w.ctx, { orderId: issued.orderId, residentId: w.resident.id });
    const reply = (residentId: string, status: "SAFE" | "NEEDS_HELP") =>
      recordSafetyReply(w.ctx, {
        orderId: issued.orderId,
        residentId,
        status,
        channel: "WEB",
        actor: { type: "resident", id: residentId },
      });
    await reply(w.resident.id, "SAFE");
    await reply(neighbour.id, "NEEDS_HELP");
    const view = await disasterConsole(w.ctx, { staff: w.staff });
    const row = view.orders.find((o) => o.id === issued.orderId);
    expect(row).toMatchObject({
      status: "ACTIVE",
      level: 4,
      districtCode: w.district.code,
      residents: 2,
      read: 1,
      unread: 1,
      safe: 1,
      needsHelp: 1,
    });
    expect(view.districts.find((d) => d.id === w.district.id)?.level).toBe(4);
    expect(await rejectionCode(disasterConsole(w.ctx, { staff: w.clerk }))).toBe("FORBIDDEN");
  });
});
