import { describe, expect, it } from "vitest";
import { verifyAuditChain } from "../../lib/audit/verify-audit-chain";
import type { PrismaClient } from "../../lib/db/client";
import { verifyPartnerCredential } from "../../lib/partners/verify-partner-credential";
import { useTestDatabase } from "../../test/db";
import { planDemoMunicipality, seedDemoMunicipality } from "./demo";
import { configureSeedFactories, seedPartnerCredential, seedResident, seedStaffMember } from "./factories";
import { stableUuid } from "./random";

const KATAKANA = /^[\u30A0-\u30FF]+( [\u30A0-\u30FF]+)*$/;
const ADDRESS = /^徳島県一枚町(港町|浜崎|中央|山手|岬|川西)[１-３]丁目[０-９]+番[０-９]+号$/;

async function tableCounts(prisma: PrismaClient) {
  return {
    districts: await prisma.district.count(),
    households: await prisma.household.count(),
    residents: await prisma.resident.count(),
    staff: await prisma.staffMember.count(),
    partners: await prisma.partner.count(),
    credentials: await prisma.partnerCredential.count(),
    audit: await prisma.auditEvent.count(),
    lastUpdate: (await prisma.resident.aggregate({ _max: { updatedAt: true } }))._max.updatedAt?.getTime(),
  };
}

describe("demo municipality plan (一枚町)", () => {
  const plan = planDemoMunicipality();
  const people = plan.households.flatMap((h) => h.members.map((m) => ({ ...m, household: h })));
  const age = (dob: string) => 2026 - Number(dob.slice(0, 4)) - (dob.slice(5) > "04-01" ? 1 : 0);

  it("is the same town every time", () => {
    expect(planDemoMunicipality()).toEqual(plan);
  });

  it("has ≥ 200 residents in households across ≥ 5 districts with a realistic age spread", () => {
    expect(people.length).toBeGreaterThanOrEqual(200);
    expect(new Set(plan.households.map((h) => h.districtCode)).size).toBeGreaterThanOrEqual(5);
    const ages = people.map((p) => age(p.dateOfBirth));
    const children = ages.filter((a) => a < 15).length;
    const over75 = ages.filter((a) => a >= 75).length;
    const over65 = ages.filter((a) => a >= 65).length;
    expect(children).toBeGreaterThanOrEqual(20);
    expect(over75).toBeGreaterThanOrEqual(30);
    // An ageing coastal town: elderly outnumber children (Tokushima: ~35% aged 65+).
    expect(over65 / people.length).toBeGreaterThan(0.3);
    expect(over65).toBeGreaterThan(children);
    const kinds = new Set(plan.households.map((h) => h.kind));
    for (const k of ["family_with_children", "three_generations", "single_elderly", "elderly_couple"]) {
      expect(kinds).toContain(k);
    }
    expect(new Set(people.map((p) => p.registryNumber)).size).toBe(people.length);
  });

  it("writes registry data in realistic formats", () => {
    for (const p of people) {
      expect(p.household.address).toMatch(ADDRESS);
      expect(p.household.postalCode).toMatch(/^779-39\d{2}$/);
      expect(p.familyNameKana).toMatch(KATAKANA);
      expect(p.givenNameKana).toMatch(KATAKANA);
      expect(p.registryNumber).toMatch(/^36999\d{6}$/);
      expect(["MALE", "FEMALE"]).toContain(p.gender);
    }
  });

  it("includes residents with needs and non-Japanese speakers", () => {
    const needs = new Set(people.flatMap((p) => p.needs));
    for (const n of ["wheelchair", "visual", "hearing", "medical_device"]) expect(needs).toContain(n);
    const languages = new Set(people.map((p) => p.language));
    for (const l of ["ja", "vi", "zh", "en", "tl"]) expect(languages).toContain(l);
  });
});

describe("seedDemoMunicipality", () => {
  const db = useTestDatabase();

  it("seeds the town once: a second run changes nothing and appends no audit event", async () => {
    const { prisma } = db();
    const first = await seedDemoMunicipality(prisma);
    const afterFirst = await tableCounts(prisma);
    expect(first.created.residents).toBe(first.residents.length);
    expect(afterFirst.residents).toBeGreaterThanOrEqual(200);
    expect(afterFirst.districts).toBeGreaterThanOrEqual(5);

    // Seeding is one system job: one audit event, about no particular resident.
    const events = await prisma.auditEvent.findMany();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: "system.job_run", actorType: "system", subjectResidentId: null });

    const second = await seedDemoMunicipality(prisma);
    expect(second.created).toEqual({
      districts: 0,
      households: 0,
      residents: 0,
      staff: 0,
      partners: 0,
      credentials: 0,
    });
    expect(await tableCounts(prisma)).toEqual(afterFirst);
    expect(second.residents.map((r) => r.id)).toEqual(first.residents.map((r) => r.id));
    expect(second.credentials).toEqual(first.credentials);
    // One console owner and one developer per demo partner (owner@ / dev@<slug>.example.jp), created once.
    expect(first.partnerUsers).toHaveLength(2 * first.partners.length);
    expect(first.partnerUsers.slice(0, 2)).toEqual([
      { partnerSlug: first.partners[0]!.slug, email: `owner@${first.partners[0]!.slug}.example.jp`, role: "OWNER" },
      { partnerSlug: first.partners[0]!.slug, email: `dev@${first.partners[0]!.slug}.example.jp`, role: "DEVELOPER" },
    ]);
    expect(second.partnerUsers).toEqual(first.partnerUsers);
    expect(await prisma.partnerUser.count()).toBe(2 * first.partners.length);
    expect(await verifyAuditChain(prisma)).toMatchObject({ ok: true, count: 1n });
  });

  it("returns the four facts as a signing certificate carries them", async () => {
    const { prisma } = db();
    const town = await seedDemoMunicipality(prisma);
    expect(town.municipality).toMatchObject({ code: "36999", prefecture: "徳島県", name: "一枚町" });
    for (const r of town.residents) {
      expect(r.facts.name).toMatch(/^[^\u3000]+\u3000[^\u3000]+$/);
      expect(r.facts.address.startsWith("徳島県一枚町")).toBe(true);
      expect(r.facts.dateOfBirth).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    const row = await prisma.resident.findUniqueOrThrow({ where: { id: town.residents[0]!.id } });
    expect(town.residents[0]!.facts.name).toBe(`${row.familyName}\u3000${row.givenName}`);
    expect(town.residents.some((r) => r.age < 15)).toBe(true);
    expect(town.residents.some((r) => r.age > 75)).toBe(true);
  });

  it("has staff in every role, linked to residents, and all partner kinds with working LIVE credentials", async () => {
    const { prisma } = db();
    const town = await seedDemoMunicipality(prisma);
    expect(new Set(town.staff.flatMap((s) => s.roles))).toEqual(
      new Set(["CLERK", "SUPERVISOR", "DISASTER_OFFICER", "HEALTH_OFFICER", "ADMIN", "PARTNER_OFFICER", "AUDITOR"]),
    );
    for (const s of town.staff) expect(town.residents.some((r) => r.id === s.residentId)).toBe(true);
    const kinds = new Set(town.partners.map((p) => p.kind));
    for (const k of [
      "HEALTH_INSURER",
      "LIFE_INSURER",
      "BANK",
      "HOSPITAL",
      "BUS_OPERATOR",
      "EMPLOYER",
      "PAYMENT_PROCESSOR",
    ]) {
      expect(kinds).toContain(k);
    }
    expect(town.credentials).toHaveLength(town.partners.length);
    for (const c of town.credentials) {
      const partner = town.partners.find((p) => p.slug === c.partnerSlug)!;
      expect(c.clientId).toMatch(/^ich_live_[0-9a-f]{24}$/);
      expect(c.scopes.every((s) => partner.approvedScopes.includes(s))).toBe(true);
    }
    const bank = town.credentials.find((c) => c.partnerSlug === "awa-mirai-bank")!;
    const verified = await verifyPartnerCredential(prisma, {
      clientId: bank.clientId,
      clientSecret: bank.clientSecret,
    });
    expect(verified).toMatchObject({ partnerSlug: "awa-mirai-bank", mode: "LIVE" });
    expect(verified.scopes).toContain("identity:verify");
  });
});

describe("seed factories", () => {
  const db = useTestDatabase();

  it("make distinct rows per call, return the existing row for a known key, and keep workers apart", async () => {
    const { prisma } = db();
    const a = await seedResident(prisma);
    const b = await seedResident(prisma);
    expect(a.registryNumber).not.toBe(b.registryNumber);
    expect(a.id).toBe(stableUuid("resident", a.registryNumber));
    const again = await seedResident(prisma, { registryNumber: a.registryNumber, givenName: "別人" });
    expect(again).toEqual(a);

    configureSeedFactories({ worker: 7 });
    const c = await seedResident(prisma);
    expect(c.registryNumber).toMatch(/^36999907\d{4}$/);
    expect(c.id).not.toBe(a.id);
    const staff = await seedStaffMember(prisma, { roles: ["DISASTER_OFFICER"] });
    expect(staff.employeeNumber).toBe("T07-E0001");
    const { credential, clientSecret } = await seedPartnerCredential(prisma);
    expect(await verifyPartnerCredential(prisma, { clientId: credential.clientId, clientSecret })).toMatchObject({
      credentialId: credential.id,
    });
    configureSeedFactories({ worker: 0 });
  });
});
