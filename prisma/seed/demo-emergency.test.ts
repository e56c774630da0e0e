import { describe, expect, it } from "vitest";
import { verifyAuditChain } from "../../lib/audit/verify-audit-chain";
import { getEmergencySettings } from "../../lib/services/emergency/get-emergency-settings";
import { useTestDatabase } from "../../test/db";
import { createTestPartnerCa } from "../../test/mailbox/mailbox-world";
import { seedDemoMunicipality } from "./demo";
import { pickDemoCardHolders } from "./demo-cards";
import { DEMO_AMBULANCE_LABEL, DEMO_FIRE_DEPARTMENT, seedDemoEmergency } from "./demo-emergency";
import { DEMO_SERVICE_SEEDERS } from "./demo-services";

describe("demo emergency history", () => {
  const db = useTestDatabase();

  it("[DEMO][EMERGENCY]: an ambulance kiosk, hospital-signed histories of the adult and elderly card holders built from their records, the adult's consent; idempotent", async () => {
    const prisma = db().prisma;
    expect(DEMO_SERVICE_SEEDERS).toContain(seedDemoEmergency);
    const town = await seedDemoMunicipality(prisma);
    const partnerCa = await createTestPartnerCa();
    const cardHolders = pickDemoCardHolders(town.residents, []);
    const ctx = { prisma, town, cardHolders, partnerCa };
    const first = await seedDemoEmergency(ctx);
    expect(first.terminals).toEqual([
      expect.objectContaining({
        partnerSlug: DEMO_FIRE_DEPARTMENT.slug,
        label: DEMO_AMBULANCE_LABEL,
        mode: "AMBULANCE",
      }),
    ]);
    const counts = async () => ({
      documents: await prisma.mailboxDocument.count({ where: { type: { in: ["medical-summary", "checkup-result"] } } }),
      consents: await prisma.emergencyConsent.count(),
      entries: await prisma.emergencySelfEntry.count(),
      devices: await prisma.terminalDevice.count(),
      events: await prisma.auditEvent.count(),
    });
    const before = await counts();
    expect(before).toMatchObject({ documents: 3, consents: 1, entries: 2, devices: 1 });
    await seedDemoEmergency(ctx);
    expect(await counts()).toEqual(before);

    const adult = cardHolders.find((c) => c.role === "adult")!;
    const record = await prisma.resident.findUniqueOrThrow({ where: { id: adult.id } });
    const summary = await prisma.mailboxDocument.findFirstOrThrow({
      where: { residentId: adult.id, type: "medical-summary" },
      select: { payload: true, signatureValid: true, issuerPartner: { select: { slug: true } } },
    });
    expect(summary).toMatchObject({
      signatureValid: true,
      issuerPartner: { slug: "ichimai-hospital" },
      payload: {
        patientName: `${record.familyName} ${record.givenName}`,
        dateOfBirth: record.dateOfBirth.toISOString().slice(0, 10),
      },
    });
    const settings = await getEmergencySettings(prisma, { residentId: adult.id });
    expect(settings.consents[0]).toMatchObject({ audience: "AMBULANCE", active: { breakGlass: true } });
    const fire = await prisma.partner.findUniqueOrThrow({ where: { slug: DEMO_FIRE_DEPARTMENT.slug } });
    expect(fire.approvedScopes).toEqual(["eligibility:verify", "emergency:read"]);
    expect((await prisma.partner.findUniqueOrThrow({ where: { slug: "ichimai-hospital" } })).approvedScopes).toContain(
      "emergency:read",
    );
    expect((await verifyAuditChain(prisma)).ok).toBe(true);
  });
});
