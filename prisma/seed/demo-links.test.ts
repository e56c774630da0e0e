import { describe, expect, it } from "vitest";
import { listResidentLinks } from "../../lib/links/resident-link-requests";
import { useTestDatabase } from "../../test/db";
import type { TDemoCardPick } from "./demo-cards";
import { demoPartnerRef, seedDemoLinks } from "./demo-links";
import type { TDemoServiceContext } from "./demo-services";
import { DEMO_SERVICE_SEEDERS } from "./demo-services";
import { seedPartner, seedResident } from "./factories";

describe("demo member links (prisma/seed/demo-links.ts)", () => {
  const db = useTestDatabase();

  it("[DEMO][LINKS]: links the card holders to the insurer, hospital and bus with purposes, leaves one pending request (the employer's) for the adult, and a second run changes nothing", async () => {
    const p = db().prisma;
    expect(DEMO_SERVICE_SEEDERS).toContain(seedDemoLinks);
    const partners = {
      nhi: await seedPartner(p, {
        slug: "ichimai-nhi",
        approvedScopes: ["documents:deliver", "eligibility:verify", "change:watch"],
      }),
      hospital: await seedPartner(p, {
        slug: "ichimai-hospital",
        approvedScopes: ["documents:deliver", "eligibility:verify"],
      }),
      bus: await seedPartner(p, { slug: "ichimai-bus", approvedScopes: ["documents:deliver", "eligibility:verify"] }),
      employer: await seedPartner(p, {
        slug: "ichimai-suisan",
        kind: "EMPLOYER",
        approvedScopes: ["documents:deliver"],
      }),
    };
    const pick = async (role: string, bind = true): Promise<TDemoCardPick> => {
      const r = await seedResident(p);
      return { id: r.id, registryNumber: r.registryNumber ?? r.id, name: "試験 太郎", role, bind };
    };
    const cardHolders = [
      await pick("adult"),
      await pick("elderly"),
      await pick("staff"),
      await pick("foreign"),
      await pick("child"),
      await pick("first-login", false),
    ];
    const ctx = { prisma: p, cardHolders } as unknown as TDemoServiceContext;
    const first = await seedDemoLinks(ctx);
    expect(first.lines.join("\n")).toContain("pending link request");
    const [adult, elderly, staff, , child, firstLogin] = cardHolders;

    expect(await p.partnerResidentLink.count()).toBe(9);
    expect(await p.partnerResidentLink.count({ where: { residentId: { in: [staff!.id, firstLogin!.id] } } })).toBe(0);
    expect(
      await p.partnerResidentLink.findUniqueOrThrow({
        where: { partnerId_residentId: { partnerId: partners.bus.id, residentId: elderly!.id } },
      }),
    ).toMatchObject({
      purposes: ["eligibility", "deliver"],
      partnerRef: demoPartnerRef("ichimai-bus", elderly!.registryNumber),
    });
    expect(
      await p.partnerResidentLink.findUniqueOrThrow({
        where: { partnerId_residentId: { partnerId: partners.nhi.id, residentId: child!.id } },
      }),
    ).toMatchObject({ purposes: ["deliver", "eligibility", "notify"] });
    const hub = await listResidentLinks(p, { residentId: adult!.id });
    expect(hub.pending).toEqual([
      expect.objectContaining({ partner: expect.objectContaining({ id: partners.employer.id }) }),
    ]);
    expect(hub.links.map((l) => l.partner.id).sort()).toEqual(
      [partners.nhi.id, partners.hospital.id, partners.bus.id].sort(),
    );
    expect((await p.partner.findUniqueOrThrow({ where: { id: partners.employer.id } })).approvedScopes).toContain(
      "links:write",
    );

    const audit = await p.auditEvent.count();
    const second = await seedDemoLinks(ctx);
    expect(second.lines).toEqual([]);
    expect(await p.partnerResidentLink.count()).toBe(9);
    expect(await p.linkRequest.count()).toBe(1);
    expect(await p.auditEvent.count()).toBe(audit);
  });
});
