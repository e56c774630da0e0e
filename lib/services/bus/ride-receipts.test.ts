import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../../../test/db";
import { createTestPartnerCa, issueOrgSigner } from "../../../test/mailbox/mailbox-world";
import { createBusWorld } from "../../../test/services/bus-world";
import { seedStaffMember } from "../../../prisma/seed/factories";
import { busMonthlyReport, busReportCsv } from "./monthly-report";
import { csvCell, csvLines } from "./csv";
import { purchaseBusTicket } from "./purchase-ticket";
import { deliverBusRideReceipt, deliverPendingBusReceipts, registerBusOperatorSigner } from "./ride-receipts";
import { setBusEligibilityShare } from "./share-eligibility";
import { takeBusRide } from "./take-ride";

describe("ride receipts and the monthly report", () => {
  const db = useTestDatabase();
  const secretsKey = randomBytes(32);

  async function world(slug: string) {
    const { prisma } = db();
    const w = await createBusWorld(prisma, slug);
    const at = new Date("2026-11-20T00:12:00Z");
    const ca = await createTestPartnerCa(at);
    const signer = await issueOrgSigner(ca, w.operator, at);
    const ctx = {
      prisma,
      now: () => new Date("2026-11-20T00:12:00Z"),
      trustAnchors: async () => [ca.certificate],
      secretsKeys: () => ({ key: secretsKey, previousKeys: [] }),
    };
    const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", signer.privateKey));
    await registerBusOperatorSigner(ctx, {
      partnerId: w.operator.id,
      certificate: signer.certificate,
      privateKeyPkcs8: pkcs8,
    });
    return { prisma, w, ctx };
  }

  it("a ride's receipt is signed by the operator and lands in the resident's mailbox once, however often it is delivered", async () => {
    const { prisma, w, ctx } = await world("bus-rcpt");
    const r = await w.linkedResident();
    await purchaseBusTicket(ctx, {
      residentId: r.id,
      partnerId: w.operator.id,
      productCode: "BOOK-11",
      issuedBy: "resident",
    });
    const ride = await takeBusRide(ctx, {
      partnerId: w.operator.id,
      residentId: r.id,
      deviceId: w.deviceId,
      tapKey: "t1",
    });
    const id = await deliverBusRideReceipt(ctx, { rideId: ride.rideId });
    expect(await deliverBusRideReceipt(ctx, { rideId: ride.rideId })).toBe(id);
    expect(await deliverPendingBusReceipts(ctx)).toEqual({ delivered: 0, failed: 0 });
    const docs = await prisma.mailboxDocument.findMany({ where: { residentId: r.id, type: "bus-ride-receipt" } });
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({ id, issuerPartnerId: w.operator.id, signatureValid: true });
    expect(docs[0]?.payload).toMatchObject({
      fare: 200,
      paid: 181,
      discount: 19,
      paymentMethod: "ticket_book",
      rideAt: "2026-11-20T09:12:00+09:00",
      from: "bus-rcpt-car-1",
    });
    // The operator's key is sealed at rest: the PKCS#8 bytes are not in the row.
    const stored = await prisma.busOperatorSigner.findUniqueOrThrow({ where: { partnerId: w.operator.id } });
    expect(stored.sealedPrivateKey).toMatch(/^v2:/);
  });

  it("the monthly report: per product and eligibility, rides, fares, discounts and the town's subsidy; CSV quoted and formula-safe", async () => {
    const { prisma, w, ctx } = await world("bus-report");
    const adult = await w.linkedResident();
    const senior = await w.linkedResident({ dateOfBirth: new Date("1950-01-01T00:00:00Z") });
    await setBusEligibilityShare(prisma, {
      residentId: senior.id,
      partnerId: w.operator.id,
      predicate: "AGE_70_PLUS",
      share: true,
    });
    await purchaseBusTicket(ctx, {
      residentId: adult.id,
      partnerId: w.operator.id,
      productCode: "BOOK-5",
      issuedBy: "resident",
    });
    await purchaseBusTicket(ctx, {
      residentId: senior.id,
      partnerId: w.operator.id,
      productCode: "KEIRO",
      issuedBy: "resident",
    });
    for (let i = 0; i < 3; i++) {
      await takeBusRide(ctx, { partnerId: w.operator.id, residentId: adult.id, deviceId: w.deviceId, tapKey: `a${i}` });
      await takeBusRide(ctx, {
        partnerId: w.operator.id,
        residentId: senior.id,
        deviceId: w.deviceId,
        tapKey: `s${i}`,
      });
    }
    const staff = await seedStaffMember(prisma);
    // The report covers every operator; this test's operator's lines.
    const rows = (await busMonthlyReport(prisma, { month: "2026-11", staffId: staff.id })).filter(
      (x) => x.operator === w.operator.name && x.productCode !== "BOOK-11",
    );
    const book = rows.find((x) => x.productCode === "BOOK-5");
    const keiro = rows.find((x) => x.productCode === "KEIRO");
    expect(book).toMatchObject({
      eligibility: "NONE",
      ticketsSold: 1,
      salesYen: 1000,
      rides: 3,
      fareYen: 600,
      paidYen: 600,
      discountYen: 0,
      subsidyYen: 0,
    });
    expect(keiro).toMatchObject({
      eligibility: "AGE_70_PLUS",
      ticketsSold: 1,
      salesYen: 0,
      rides: 3,
      fareYen: 600,
      paidYen: 0,
      discountYen: 600,
      subsidyYen: 600,
    });
    expect(rows).toHaveLength(2);
    expect(await busMonthlyReport(prisma, { month: "2026-10", staffId: staff.id })).toEqual([]);
    const csv = busReportCsv("2026-11", rows);
    const lines = csv.replace(/^\ufeff/, "").split("\r\n");
    expect(lines[0]).toBe(
      "month,operator,product_code,product_name,eligibility,tickets_sold,sales_yen,rides,fare_yen,paid_yen,discount_yen,town_subsidy_yen",
    );
    expect(lines.at(-2)).toBe("2026-11,TOTAL,,,,2,1000,6,1200,600,600,600");
    await expect(busMonthlyReport(prisma, { month: "2026-13", staffId: staff.id })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
    });
  });

  it("CSV cells: RFC 4180 quoting and formula injection guarded", () => {
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell("line\nbreak")).toBe('"line\nbreak"');
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell("+1")).toBe("'+1");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell(-5)).toBe("-5");
    expect(csvLines([["a", 1]])).toBe("a,1\r\n");
  });
});
