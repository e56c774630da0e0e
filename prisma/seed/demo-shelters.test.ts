import { describe, expect, it } from "vitest";
import { containsPoint } from "../../lib/geo/measure";
import { districtGeometryOf } from "../../lib/geo/geometry";
import { useTestDatabase } from "../../test/db";
import { createTestPartnerCa } from "../../test/mailbox/mailbox-world";
import { seedDemoMunicipality } from "./demo";
import { pickDemoCardHolders } from "./demo-cards";
import { DEMO_SERVICE_SEEDERS } from "./demo-services";
import { DEMO_SHELTER_KIOSK, DEMO_SHELTERS, seedDemoShelters } from "./demo-shelters";

describe("demo shelters", () => {
  const db = useTestDatabase();

  it("[DEMO][SHELTERS]: six shelters inside their districts, one welfare, one hospital run by the hospital, most open, one enrolled kiosk; idempotent", async () => {
    const prisma = db().prisma;
    expect(DEMO_SERVICE_SEEDERS).toContain(seedDemoShelters);
    const town = await seedDemoMunicipality(prisma);
    const ctx = {
      prisma,
      town,
      cardHolders: pickDemoCardHolders(town.residents, []),
      partnerCa: await createTestPartnerCa(),
    };
    const first = await seedDemoShelters(ctx);
    expect(first.terminals).toEqual([expect.objectContaining({ ...DEMO_SHELTER_KIOSK, mode: "SHELTER" })]);
    const shelters = await prisma.shelter.findMany({
      select: { code: true, kind: true, open: true, latitude: true, longitude: true, district: true, partner: true },
    });
    expect(shelters).toHaveLength(6);
    for (const s of shelters) {
      const geometry = districtGeometryOf(s.district.geometry);
      expect(geometry, s.code).not.toBeNull();
      expect(containsPoint(geometry!, s), `${s.code} inside ${s.district.code}`).toBe(true);
    }
    expect(shelters.filter((s) => s.kind === "WELFARE")).toHaveLength(1);
    expect(shelters.filter((s) => s.kind === "HOSPITAL").map((s) => s.partner?.slug)).toEqual(["ichimai-hospital"]);
    expect(shelters.filter((s) => s.open).length).toBe(DEMO_SHELTERS.filter((s) => s.open).length);
    expect(shelters.filter((s) => s.open).length).toBeGreaterThan(3);
    expect((await prisma.partner.findUniqueOrThrow({ where: { slug: "ichimai-town" } })).approvedScopes).toContain(
      "eligibility:verify",
    );
    const kiosk = await prisma.terminalDevice.findFirstOrThrow({ where: { label: DEMO_SHELTER_KIOSK.label } });
    expect(kiosk.mode).toBe("SHELTER");
    const counts = async () => ({
      shelters: await prisma.shelter.count(),
      devices: await prisma.terminalDevice.count(),
    });
    const before = await counts();
    await seedDemoShelters(ctx);
    expect(await counts()).toEqual(before);
  });
});
