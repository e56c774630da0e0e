import { describe, expect, it } from "vitest";
import { listMyPendingSigningRequests } from "../../lib/services/signing-requests/resident-signing-requests";
import { useTestDatabase } from "../../test/db";
import type { TDemoCardPick } from "./demo-cards";
import { DEMO_SERVICE_SEEDERS, type TDemoServiceContext } from "./demo-services";
import { DEMO_SIGNING_BANK, DEMO_SIGNING_TITLE, demoBankRef, seedDemoSigning } from "./demo-signing";
import { seedPartner, seedResident } from "./factories";

describe("demo signing request (prisma/seed/demo-signing.ts)", () => {
  const db = useTestDatabase();

  it("[DEMO][SIGNING]: links the adult to the bank and leaves one pending request; a second run changes nothing", async () => {
    const p = db().prisma;
    expect(DEMO_SERVICE_SEEDERS).toContain(seedDemoSigning);
    const bank = await seedPartner(p, {
      slug: DEMO_SIGNING_BANK,
      name: "阿波みらい銀行",
      approvedScopes: ["identity:verify"],
    });
    const r = await seedResident(p);
    const adult: TDemoCardPick = {
      id: r.id,
      registryNumber: r.registryNumber,
      name: "試験 太郎",
      role: "adult",
      bind: true,
    };
    const ctx = { prisma: p, cardHolders: [adult] } as unknown as TDemoServiceContext;

    const first = await seedDemoSigning(ctx);
    expect(first.lines).toHaveLength(1);
    const pending = await listMyPendingSigningRequests(p, { residentId: r.id });
    expect(pending.map((x) => [x.partnerName, x.title])).toEqual([["阿波みらい銀行", DEMO_SIGNING_TITLE]]);
    expect(pending[0]?.text).toContain("試験 太郎");
    const link = await p.partnerResidentLink.findUniqueOrThrow({
      where: { partnerId_residentId: { partnerId: bank.id, residentId: r.id } },
    });
    expect(link.partnerRef).toBe(demoBankRef(r.registryNumber));
    expect((await p.partner.findUniqueOrThrow({ where: { id: bank.id } })).approvedScopes).toContain("signing:request");

    const second = await seedDemoSigning(ctx);
    expect(second.lines).toEqual([]);
    expect(await p.signingRequest.count({ where: { residentId: r.id } })).toBe(1);
  });
});
