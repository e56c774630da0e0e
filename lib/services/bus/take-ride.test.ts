import { describe, expect, it } from "vitest";
import { AppError } from "../../errors/app-error";
import { useTestDatabase } from "../../../test/db";
import { createBusWorld } from "../../../test/services/bus-world";
import { ageOn } from "./eligibility";
import { purchaseBusTicket } from "./purchase-ticket";
import { setBusEligibilityShare } from "./share-eligibility";
import { bookRideShare, takeBusRide } from "./take-ride";

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "OK";
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
}

describe("community bus rides", () => {
  const db = useTestDatabase();

  describe("takeBusRide", () => {
    it("CONCURRENCY: 20 parallel taps on a 5-ride book take exactly 5 rides, refuse 15, leave 0 and never go negative", async () => {
      const { prisma } = db();
      const w = await createBusWorld(prisma, "bus-conc");
      const r = await w.linkedResident();
      const ctx = { prisma };
      const book = await purchaseBusTicket(ctx, {
        residentId: r.id,
        partnerId: w.operator.id,
        productCode: "BOOK-5",
        issuedBy: "resident",
      });
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          takeBusRide(ctx, { partnerId: w.operator.id, residentId: r.id, deviceId: w.deviceId, tapKey: `tap-${i}` }),
        ),
      );
      const ok = results.filter((x) => x.status === "fulfilled");
      const refused = results.filter((x) => x.status === "rejected");
      expect(ok).toHaveLength(5);
      expect(refused).toHaveLength(15);
      for (const x of refused) expect((x as PromiseRejectedResult).reason).toMatchObject({ code: "BUS_BOOK_EMPTY" });
      const row = await prisma.busTicket.findUniqueOrThrow({ where: { id: book.id } });
      expect(row.ridesRemaining).toBe(0);
      expect(await prisma.busRide.count({ where: { ticketId: book.id } })).toBe(5);
      // The remaining counts the five answers showed are 4, 3, 2, 1, 0 (each once).
      const shown = ok.map(
        (x) => (x as PromiseFulfilledResult<{ ticket: { ridesRemaining: number } }>).value.ticket.ridesRemaining,
      );
      expect(shown.sort()).toEqual([0, 1, 2, 3, 4]);
      // The book's price is carried by its rides exactly.
      const paid = await prisma.busRide.aggregate({ where: { ticketId: book.id }, _sum: { paidYen: true } });
      expect(paid._sum.paidYen).toBe(1000);
    });

    it("the same tap key retried (sequentially and concurrently) takes one ride and answers the first ride", async () => {
      const { prisma } = db();
      const w = await createBusWorld(prisma, "bus-idem");
      const r = await w.linkedResident();
      const ctx = { prisma };
      await purchaseBusTicket(ctx, {
        residentId: r.id,
        partnerId: w.operator.id,
        productCode: "BOOK-11",
        issuedBy: "resident",
      });
      const o = { partnerId: w.operator.id, residentId: r.id, deviceId: w.deviceId, tapKey: "retry-1" };
      const answers = await Promise.all([takeBusRide(ctx, o), takeBusRide(ctx, o), takeBusRide(ctx, o)]);
      const again = await takeBusRide(ctx, o);
      expect(new Set([...answers, again].map((a) => a.rideId)).size).toBe(1);
      expect(again.replayed).toBe(true);
      expect(await prisma.busRide.count({ where: { residentId: r.id } })).toBe(1);
      const t = await prisma.busTicket.findFirstOrThrow({ where: { residentId: r.id } });
      expect(t.ridesRemaining).toBe(10);
    });

    it("a valid pass covers rides without taking any; an expired pass, an empty book, nothing, not linked → stable codes", async () => {
      const { prisma } = db();
      const w = await createBusWorld(prisma, "bus-pass");
      const r = await w.linkedResident();
      let now = new Date("2026-12-01T03:00:00Z");
      const ctx = { prisma, now: () => now };
      const tap = (k: string, residentId = r.id) =>
        takeBusRide(ctx, { partnerId: w.operator.id, residentId, deviceId: w.deviceId, tapKey: k });
      expect(await codeOf(tap("none"))).toBe("BUS_NO_VALID_PRODUCT");
      const pass = await purchaseBusTicket(ctx, {
        residentId: r.id,
        partnerId: w.operator.id,
        productCode: "MONTH",
        issuedBy: "operator",
      });
      expect(pass.validFrom).toBe("2026-11-30T15:00:00.000Z"); // 2026-12-01 00:00 JST
      const ride = await tap("p1");
      expect(ride).toMatchObject({ status: "CHARGED", paidYen: 0, fareYen: 200, discountYen: 200 });
      expect(ride.ticket?.validUntil).toBe("2026-12-30T15:00:00.000Z");
      now = new Date("2026-12-31T00:00:00Z");
      expect(await codeOf(tap("p2"))).toBe("BUS_PASS_EXPIRED");
      await purchaseBusTicket(ctx, {
        residentId: r.id,
        partnerId: w.operator.id,
        productCode: "BOOK-5",
        issuedBy: "resident",
      });
      for (let i = 0; i < 5; i++) await tap(`b${i}`);
      expect(await codeOf(tap("b5"))).toBe("BUS_BOOK_EMPTY");
      const stranger = await w.linkedResident();
      await prisma.partnerResidentLink.updateMany({ where: { residentId: stranger.id }, data: { revokedAt: now } });
      expect(await codeOf(tap("s", stranger.id))).toBe("BUS_NOT_LINKED");
      // Refused taps took nothing and wrote no ride.
      expect(await prisma.busRide.count({ where: { residentId: r.id } })).toBe(6);
    });

    it("bookRideShare spreads a price over the rides exactly", () => {
      const shares = Array.from({ length: 11 }, (_, i) => bookRideShare(2000, 11, i + 1));
      expect(shares.reduce((a, b) => a + b, 0)).toBe(2000);
      expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
    });
  });

  describe("discount rules", () => {
    it("ageOn counts full years on the day", () => {
      expect(ageOn("1956-12-08", "2026-12-07")).toBe(69);
      expect(ageOn("1956-12-07", "2026-12-07")).toBe(70);
      expect(ageOn("1956-02-29", "2026-02-28")).toBe(69);
    });

    it("敬老パス: needs the shared predicate and age 70+ from the registry; the evidence is stored, and a subsidy is owed per ride", async () => {
      const { prisma } = db();
      const w = await createBusWorld(prisma, "bus-keiro");
      const now = new Date("2026-12-07T03:00:00Z");
      const ctx = { prisma, now: () => now };
      const senior = await w.linkedResident({ dateOfBirth: new Date("1950-04-01T00:00:00Z") });
      const young = await w.linkedResident({ dateOfBirth: new Date("1957-01-01T00:00:00Z") });
      const buy = (residentId: string) =>
        purchaseBusTicket(ctx, { residentId, partnerId: w.operator.id, productCode: "KEIRO", issuedBy: "resident" });
      expect(await codeOf(buy(senior.id))).toBe("BUS_ELIGIBILITY_NOT_SHARED");
      await setBusEligibilityShare(prisma, {
        residentId: senior.id,
        partnerId: w.operator.id,
        predicate: "AGE_70_PLUS",
        share: true,
      });
      await setBusEligibilityShare(prisma, {
        residentId: young.id,
        partnerId: w.operator.id,
        predicate: "AGE_70_PLUS",
        share: true,
      });
      expect(await codeOf(buy(young.id))).toBe("BUS_NOT_ELIGIBLE");
      const pass = await buy(senior.id);
      expect(pass).toMatchObject({ kind: "PASS", priceYen: 0, eligibility: "AGE_70_PLUS" });
      const row = await prisma.busTicket.findUniqueOrThrow({ where: { id: pass.id } });
      expect(row.eligibilityEvidence).toEqual({
        rule: "AGE_70_PLUS",
        source: "registry",
        predicate: "age_over_70",
        checkedOn: "2026-12-07",
      });
      expect(JSON.stringify(row.eligibilityEvidence)).not.toContain("1950");
      const ride = await takeBusRide(ctx, {
        partnerId: w.operator.id,
        residentId: senior.id,
        deviceId: w.deviceId,
        tapKey: "k1",
      });
      const rideRow = await prisma.busRide.findUniqueOrThrow({ where: { id: ride.rideId } });
      expect(rideRow).toMatchObject({
        fareYen: 200,
        paidYen: 0,
        discountYen: 200,
        subsidyYen: 200,
        eligibility: "AGE_70_PLUS",
      });
      // Withdrawing the consent stops new purchases.
      await setBusEligibilityShare(prisma, {
        residentId: senior.id,
        partnerId: w.operator.id,
        predicate: "AGE_70_PLUS",
        share: false,
      });
      expect(await codeOf(buy(senior.id))).toBe("BUS_ELIGIBILITY_NOT_SHARED");
      const consent = await prisma.auditEvent.findMany({
        where: { subjectResidentId: senior.id, type: { startsWith: "consent." } },
      });
      expect(consent.map((e) => e.type)).toEqual(expect.arrayContaining(["consent.given", "consent.revoked"]));
    });

    it("障害者割引: needs a disability-certificate from a government partner, not expired; another issuer's does not count", async () => {
      const { prisma } = db();
      const w = await createBusWorld(prisma, "bus-shogai");
      const now = new Date("2026-12-07T03:00:00Z");
      const ctx = { prisma, now: () => now };
      const r = await w.linkedResident();
      await setBusEligibilityShare(prisma, {
        residentId: r.id,
        partnerId: w.operator.id,
        predicate: "DISABILITY",
        share: true,
      });
      const buy = () =>
        purchaseBusTicket(ctx, {
          residentId: r.id,
          partnerId: w.operator.id,
          productCode: "SHOGAI-11",
          issuedBy: "resident",
        });
      expect(await codeOf(buy())).toBe("BUS_NOT_ELIGIBLE");
      const doc = (issuerPartnerId: string, validUntil: string) =>
        prisma.mailboxDocument.create({
          data: {
            residentId: r.id,
            issuerPartnerId,
            type: "disability-certificate",
            domain: "health",
            payload: { validUntil },
            payloadHash: "0".repeat(64),
            signature: new Uint8Array([1]),
            verificationReport: {},
            signatureValid: true,
            searchText: "",
          },
          select: { id: true },
        });
      await doc(w.operator.id, "2030-01-01"); // not the town
      await doc(w.town.id, "2026-12-06"); // expired yesterday
      expect(await codeOf(buy())).toBe("BUS_NOT_ELIGIBLE");
      const valid = await doc(w.town.id, "2026-12-07");
      const book = await buy();
      const row = await prisma.busTicket.findUniqueOrThrow({ where: { id: book.id } });
      expect(row.eligibilityEvidence).toMatchObject({
        rule: "DISABILITY",
        documentId: valid.id,
        issuerPartnerId: w.town.id,
      });
      const ride = await takeBusRide(ctx, {
        partnerId: w.operator.id,
        residentId: r.id,
        deviceId: w.deviceId,
        tapKey: "d1",
      });
      const rideRow = await prisma.busRide.findUniqueOrThrow({ where: { id: ride.rideId } });
      expect(rideRow.subsidyYen).toBe(rideRow.discountYen);
      expect(rideRow.discountYen).toBeGreaterThan(100);
    });
  });
});
