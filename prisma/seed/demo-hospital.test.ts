import { describe, expect, it } from "vitest";
import type { TPartnerCa } from "../../jlis-sim/partner-ca/partner-ca";
import { checkInsurance } from "../../lib/services/hospital/check-insurance";
import { useTestDatabase } from "../../test/db";
import { seedDemoMunicipality } from "./demo";
import { pickDemoCardHolders } from "./demo-cards";
import { DEMO_LAPSED_ROLE, DEMO_PAYING_ROLE, demoCopayTenths, seedDemoHospital } from "./demo-hospital";

describe("demo hospital seeder (受付 at 一枚町立病院, roster at 一枚町国民健康保険)", () => {
  const db = useTestDatabase();

  it("[HOSPITAL][DEMO]: enrols the reception kiosk, approves the roster scope, links and rosters the card holders (one lapsed); a second run adds nothing", async () => {
    const { prisma } = db();
    const town = await seedDemoMunicipality(prisma);
    const cardHolders = pickDemoCardHolders(
      town.residents,
      town.staff.map((s) => s.residentId),
    );
    // The hospital seeder signs nothing, so it needs no partner CA.
    const ctx = { prisma, town, cardHolders, partnerCa: undefined as unknown as TPartnerCa };
    const first = await seedDemoHospital(ctx);
    expect(first.terminals).toEqual([
      expect.objectContaining({ partnerSlug: "ichimai-hospital", label: "受付1", mode: "HOSPITAL" }),
    ]);
    const nhi = await prisma.partner.findUniqueOrThrow({ where: { slug: "ichimai-nhi" } });
    expect(nhi.approvedScopes).toContain("insurance:roster");
    expect((await prisma.partner.findUniqueOrThrow({ where: { slug: "ichimai-hospital" } })).approvedScopes).toContain(
      "hospital:visits",
    );
    const bound = cardHolders.filter((p) => p.bind);
    const counts = async () => ({
      members: await prisma.insuranceMember.count(),
      links: await prisma.partnerResidentLink.count(),
      devices: await prisma.terminalDevice.count(),
      methods: await prisma.paymentMethod.count(),
      tokens: await prisma.simulatedProcessorToken.count(),
      scopes: (await prisma.partner.findMany({ select: { approvedScopes: true } })).flatMap((p) => p.approvedScopes)
        .length,
    });
    const after = await counts();
    expect(after.members).toBe(bound.length);
    // The adult pays with a test Visa registered at ichimai-pay: ichimai holds its token only.
    const payer = bound.find((p) => p.role === DEMO_PAYING_ROLE);
    const method = await prisma.paymentMethod.findFirstOrThrow({
      where: { residentId: payer?.id, unlinkedAt: null },
      include: { processor: { select: { slug: true } } },
    });
    expect(method).toMatchObject({ brand: "visa", last4: "4242", processor: { slug: "ichimai-pay" } });
    expect(await prisma.simulatedProcessorToken.findUnique({ where: { id: method.token } })).not.toBeNull();
    expect([after.methods, after.tokens]).toEqual([1, 1]);
    expect((await prisma.partner.findUniqueOrThrow({ where: { slug: "ichimai-hospital" } })).approvedScopes).toContain(
      "documents:deliver",
    );

    const now = new Date();
    for (const holder of bound) {
      const { dateOfBirth } = await prisma.resident.findUniqueOrThrow({ where: { id: holder.id } });
      const { answer } = await checkInsurance(prisma, { residentId: holder.id, sandbox: false, now });
      if (holder.role === DEMO_LAPSED_ROLE) expect(answer).toMatchObject({ status: "lapsed" });
      else expect(answer).toMatchObject({ status: "eligible", copayRatio: demoCopayTenths(dateOfBirth, now) });
    }
    await seedDemoHospital(ctx);
    expect(await counts()).toEqual(after);
  });

  it("[HOSPITAL][DEMO-COPAY]: 未就学 2割, 6–69 3割, 70–74 2割, 75+ 1割, birthdays counted", () => {
    const on = new Date("2026-12-07T00:00:00Z");
    expect(demoCopayTenths(new Date("2021-12-08"), on)).toBe(2);
    expect(demoCopayTenths(new Date("2020-12-07"), on)).toBe(3);
    expect(demoCopayTenths(new Date("1957-12-08"), on)).toBe(3);
    expect(demoCopayTenths(new Date("1956-12-07"), on)).toBe(2);
    expect(demoCopayTenths(new Date("1951-12-07"), on)).toBe(1);
  });
});
