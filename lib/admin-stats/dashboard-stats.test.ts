import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  seedDistrict,
  seedPartner,
  seedPartnerCredential,
  seedResident,
  seedStaffMember,
} from "../../prisma/seed/factories";
import { useTestDatabase } from "../../test/db";
import { appendAuditEvents } from "../audit/append-audit-event";
import type { PrismaClient } from "../db/client";
import { dashboardPeriod, getDashboardStats } from "./dashboard-stats";

/** 2026-12-08 10:00 in Japan. */
const NOW = new Date("2026-12-08T01:00:00Z");

function document(prisma: PrismaClient, residentId: string, issuerPartnerId: string, createdAt: Date) {
  return prisma.mailboxDocument.create({
    data: {
      residentId,
      issuerPartnerId,
      type: "notice",
      domain: "notice",
      payload: {},
      payloadHash: "0".repeat(64),
      signature: new Uint8Array([1]),
      verificationReport: {},
      signatureValid: true,
      searchText: "",
      createdAt,
    },
  });
}

function application(
  prisma: PrismaClient,
  residentId: string,
  status: "SUBMITTED" | "RETURNED" | "APPROVED",
  submittedAt: Date,
) {
  return prisma.serviceApplication.create({
    data: {
      id: randomUUID(),
      residentId,
      kind: "MOVE",
      status,
      content: {},
      signedData: new Uint8Array([1]),
      contentHash: randomUUID(),
      signerIssuerDn: "CN=test",
      signerSerialNumber: "01",
      signingTime: submittedAt,
      verification: {},
      submittedAt,
    },
  });
}

describe("the staff console's dashboard numbers (lib/admin-stats)", () => {
  const db = useTestDatabase();

  it("cuts days at midnight in Japan", () => {
    expect(dashboardPeriod(7, NOW)).toEqual({
      from: "2026-12-02",
      to: "2026-12-08",
      start: new Date("2026-12-01T15:00:00Z"),
      end: new Date("2026-12-08T15:00:00Z"),
    });
    // 23:30 UTC on the 7th is already the 8th in Japan.
    expect(dashboardPeriod(1, new Date("2026-12-07T23:30:00Z")).to).toBe("2026-12-08");
  });

  it("an empty town: every series present with zeros", async () => {
    const { prisma } = db();
    const s = await getDashboardStats(prisma, { days: 7, now: NOW });
    expect(s.logins).toEqual([
      { channel: "pc", count: 0 },
      { channel: "phone", count: 0 },
      { channel: "tv", count: 0 },
      { channel: "terminal", count: 0 },
      { channel: "other", count: 0 },
    ]);
    expect(s.deliveries).toHaveLength(7);
    expect(s.deliveries.every((d) => d.count === 0)).toBe(true);
    expect(s.evacuationOrders.map((o) => o.level)).toEqual([1, 2, 3, 4, 5]);
    expect(s.apiRequests.map((d) => d.day)).toEqual([
      "2026-12-02",
      "2026-12-03",
      "2026-12-04",
      "2026-12-05",
      "2026-12-06",
      "2026-12-07",
      "2026-12-08",
    ]);
  });

  it("counts logins by channel, deliveries and API requests per Japan day, applications by status and orders by level within the period only", async () => {
    const { prisma } = db();
    const resident = await seedResident(prisma);
    const partner = await seedPartner(prisma);
    const login = (channel: string) => ({
      type: "auth.login_succeeded" as const,
      actor: { type: "resident" as const, id: resident.id },
      subjectResidentId: resident.id,
      channel: channel as "pc",
    });
    await prisma.$transaction((tx) =>
      appendAuditEvents(tx, [login("pc"), login("pc"), login("phone"), login("tv"), login("terminal"), login("api")]),
    );
    // Not a login: not counted.
    await prisma.$transaction((tx) =>
      appendAuditEvents(tx, [{ type: "auth.login_failed", actor: { type: "resident" }, channel: "pc" }]),
    );
    // 2026-12-07 23:30 JST and 2026-12-08 00:30 JST: two Japan days; one before the period.
    await document(prisma, resident.id, partner.id, new Date("2026-12-07T14:30:00Z"));
    await document(prisma, resident.id, partner.id, new Date("2026-12-07T15:30:00Z"));
    await document(prisma, resident.id, partner.id, new Date("2026-12-07T15:45:00Z"));
    await document(prisma, resident.id, partner.id, new Date("2026-11-01T00:00:00Z"));
    await application(prisma, resident.id, "SUBMITTED", new Date("2026-12-05T00:00:00Z"));
    await application(prisma, resident.id, "APPROVED", new Date("2026-12-06T00:00:00Z"));
    await application(prisma, resident.id, "APPROVED", new Date("2026-12-06T01:00:00Z"));
    await application(prisma, resident.id, "RETURNED", new Date("2026-10-01T00:00:00Z"));
    const staff = await seedStaffMember(prisma, { roles: ["DISASTER_OFFICER"] });
    const [d1, d2] = [await seedDistrict(prisma), await seedDistrict(prisma)];
    const order = (districtId: string, level: number, status: "ACTIVE" | "LIFTED", issuedAt: Date) =>
      prisma.evacuationOrder.create({
        data: { districtId, hazard: "FLOOD", level, status, message: "避難", issuedById: staff.id, issuedAt },
      });
    await order(d1.id, 4, "ACTIVE", new Date("2026-12-07T00:00:00Z"));
    await order(d2.id, 4, "LIFTED", new Date("2026-12-06T00:00:00Z"));
    await order(d2.id, 3, "ACTIVE", new Date("2026-12-07T00:00:00Z"));
    const { credential } = await seedPartnerCredential(prisma, { partnerId: partner.id });
    await prisma.partnerApiUsage.createMany({
      data: [
        { credentialId: credential.id, windowStart: new Date("2026-12-07T10:00:00Z"), count: 5 },
        { credentialId: credential.id, windowStart: new Date("2026-12-07T10:01:00Z"), count: 7 },
        { credentialId: credential.id, windowStart: new Date("2026-12-07T16:00:00Z"), count: 1 },
      ],
    });

    // Audit events carry the database's now(): ask for the period around it.
    const s = await getDashboardStats(prisma, { days: 7, now: NOW });
    const live = await getDashboardStats(prisma, { days: 7 });
    expect(live.logins).toEqual([
      { channel: "pc", count: 2 },
      { channel: "phone", count: 1 },
      { channel: "tv", count: 1 },
      { channel: "terminal", count: 1 },
      { channel: "other", count: 1 },
    ]);
    expect(s.deliveries.filter((d) => d.count > 0)).toEqual([
      { day: "2026-12-07", count: 1 },
      { day: "2026-12-08", count: 2 },
    ]);
    expect(s.applications).toEqual([
      { status: "SUBMITTED", count: 1 },
      { status: "RETURNED", count: 0 },
      { status: "APPROVED", count: 2 },
    ]);
    expect(s.evacuationOrders.filter((o) => o.count > 0)).toEqual([
      { level: 3, count: 1, active: 1 },
      { level: 4, count: 2, active: 1 },
    ]);
    expect(s.apiRequests.filter((d) => d.count > 0)).toEqual([
      { day: "2026-12-07", count: 12 },
      { day: "2026-12-08", count: 1 },
    ]);
  });
});
