import { describe, expect, it } from "vitest";
import { verifyAuditChain } from "../../lib/audit/verify-audit-chain";
import { listDocuments } from "../../lib/mailbox/list-documents";
import { useTestDatabase } from "../../test/db";
import { createTestPartnerCa } from "../../test/mailbox/mailbox-world";
import { seedDemoMunicipality } from "./demo";
import { seedDemoDocuments } from "./demo-documents";

describe("demo mailbox documents", () => {
  const db = useTestDatabase();

  it("delivers a signed notice, residence certificate and life-insurance certificate once per demo resident", async () => {
    const prisma = db().prisma;
    const town = await seedDemoMunicipality(prisma);
    const partnerCa = await createTestPartnerCa();
    const [a, b] = town.residents.filter((r) => r.age >= 20);
    const recipients = [a!, b!].map((r) => ({ id: r.id, registryNumber: r.registryNumber, name: r.facts.name }));

    expect(await seedDemoDocuments(prisma, { partnerCa, recipients })).toBe(6);
    expect(await seedDemoDocuments(prisma, { partnerCa, recipients })).toBe(0);

    const inbox = await listDocuments(prisma, { residentId: a!.id, channel: "pc" });
    expect(inbox.items.map((d) => d.type).sort()).toEqual([
      "life-insurance-deduction-certificate",
      "notice",
      "residence-certificate",
    ]);
    expect(inbox.items.every((d) => d.signatureValid)).toBe(true);
    // Each 住民票 is the recipient's own record and household, not the sample (阿波 太郎, 中央一丁目).
    for (const r of [a!, b!]) {
      const row = await prisma.mailboxDocument.findFirstOrThrow({
        where: { residentId: r.id, type: "residence-certificate" },
        select: { payload: true },
      });
      const registry = await prisma.resident.findUniqueOrThrow({ where: { id: r.id } });
      const members = await prisma.resident.count({ where: { householdId: registry.householdId, leftAt: null } });
      const payload = row.payload as { address: string; persons: { name: string; nameKana: string }[] };
      expect(payload.address).toBe(registry.address);
      expect(payload.persons).toHaveLength(members);
      expect(payload.persons.map((p) => p.name)).toContain(`${registry.familyName} ${registry.givenName}`);
      expect(JSON.stringify(payload)).not.toContain("阿波");
    }
    expect((await verifyAuditChain(prisma)).ok).toBe(true);
  });
});
