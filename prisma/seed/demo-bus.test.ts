import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../../test/db";
import { createTestPartnerCa } from "../../test/mailbox/mailbox-world";
import { pickDemoCardHolders } from "./demo-cards";
import { seedDemoMunicipality } from "./demo";
import { purchaseBusTicket } from "../../lib/services/bus/purchase-ticket";
import { setBusEligibilityShare } from "../../lib/services/bus/share-eligibility";
import { seedDemoBus } from "./demo-bus";

describe("demo community bus", () => {
  const db = useTestDatabase();

  it("seeds products, the operator's signer, an enrolable kiosk, a book for the adult and a 敬老パス for the elderly card holder — once", async () => {
    const prisma = db().prisma;
    const town = await seedDemoMunicipality(prisma);
    const partnerCa = await createTestPartnerCa();
    const cardHolders = pickDemoCardHolders(
      town.residents,
      town.staff.map((s) => s.residentId),
    );
    const ctx = { prisma, town, cardHolders, partnerCa };
    const first = await seedDemoBus(ctx);
    const again = await seedDemoBus(ctx);
    expect(first.terminals).toEqual(again.terminals);
    expect(first.terminals[0]).toMatchObject({ partnerSlug: "ichimai-bus", mode: "BUS" });
    const adult = cardHolders.find((c) => c.role === "adult")!;
    const elderly = cardHolders.find((c) => c.role === "elderly")!;
    const adultTickets = await prisma.busTicket.findMany({ where: { residentId: adult.id } });
    expect(adultTickets).toHaveLength(1);
    expect(adultTickets[0]).toMatchObject({ kind: "TICKET_BOOK", ridesRemaining: 11 });
    const elderlyTickets = await prisma.busTicket.findMany({ where: { residentId: elderly.id } });
    expect(elderlyTickets).toHaveLength(1);
    expect(elderlyTickets[0]).toMatchObject({ kind: "PASS", eligibility: "AGE_70_PLUS", priceYen: 0 });
    expect(await prisma.busOperatorSigner.count()).toBe(1);
    expect(await prisma.busProduct.count()).toBe(4);
    // The adult's 障害者手帳 from the town qualifies for the disability discount once shared.
    const certificates = await prisma.mailboxDocument.findMany({
      where: { residentId: adult.id, type: "disability-certificate" },
    });
    expect(certificates).toHaveLength(1);
    expect(certificates[0]?.signatureValid).toBe(true);
    await setBusEligibilityShare(prisma, {
      residentId: adult.id,
      partnerId: adultTickets[0]!.partnerId,
      predicate: "DISABILITY",
      share: true,
    });
    const discounted = await purchaseBusTicket(
      { prisma },
      { residentId: adult.id, partnerId: adultTickets[0]!.partnerId, productCode: "SHOGAI-11", issuedBy: "resident" },
    );
    expect(discounted).toMatchObject({ eligibility: "DISABILITY", priceYen: 1000 });
  }, 240_000);
});
