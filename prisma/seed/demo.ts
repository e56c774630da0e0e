/**
 * The demo municipality: 一枚町 (Ichimai-chō), a fictional coastal town in 徳島県 with the
 * (unused) municipality code 36999. Synthetic but realistic: an ageing population with families,
 * elderly people living alone or in couples, residents with support needs, foreign residents,
 * staff, and one service partner of each kind (the town office, a health and a life insurer, a bank,
 * a hospital, a bus operator, an employer, a payment processor). Everything is planned from a seeded
 * PRNG first (planDemoMunicipality, no I/O) and then written through the shared factories,
 * find-or-create on natural keys, so running it again changes nothing.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { appendAuditEvent } from "../../lib/audit/append-audit-event";
import type { Prisma, PrismaClient } from "../../lib/db/client";
import { resolveDataPath } from "../../lib/env";
import type { TApiScope } from "../../lib/partners/scopes";
import type { Gender, PartnerKind, StaffRole } from "../../generated/prisma/client";
import {
  DEMO_MUNICIPALITY_CODE,
  DEMO_PARTNER_PASSWORD,
  DEMO_PREFECTURE,
  DEMO_TOWN,
  seedDistrict,
  seedHousehold,
  seedPartner,
  seedPartnerCredential,
  seedPartnerUser,
  seedResident,
  seedStaffMember,
} from "./factories";
import { demoDistrictOutlines, demoHouseholdPoint } from "./demo-geo";
import { GIVEN_NAMES, generationOf, SURNAMES, type TName } from "./names";
import { createRng, type TRng, toFullWidthDigits } from "./random";

/** Ages are fixed against this date, so the town is the same whenever it is seeded. */
export const DEMO_REFERENCE_DATE = "2026-04-01";
const REFERENCE_YEAR = 2026;
const DEMO_SEED = 0x1c41_2026;
const MIN_RESIDENTS = 220;

export const DEMO_DISTRICTS = [
  {
    code: `${DEMO_MUNICIPALITY_CODE}-01`,
    name: "港町",
    nameKana: "ミナトマチ",
    nameEn: "Minatomachi",
    postalCode: "779-3901",
  },
  {
    code: `${DEMO_MUNICIPALITY_CODE}-02`,
    name: "浜崎",
    nameKana: "ハマサキ",
    nameEn: "Hamasaki",
    postalCode: "779-3902",
  },
  {
    code: `${DEMO_MUNICIPALITY_CODE}-03`,
    name: "中央",
    nameKana: "チュウオウ",
    nameEn: "Chūō",
    postalCode: "779-3903",
  },
  { code: `${DEMO_MUNICIPALITY_CODE}-04`, name: "山手", nameKana: "ヤマテ", nameEn: "Yamate", postalCode: "779-3904" },
  { code: `${DEMO_MUNICIPALITY_CODE}-05`, name: "岬", nameKana: "ミサキ", nameEn: "Misaki", postalCode: "779-3905" },
  {
    code: `${DEMO_MUNICIPALITY_CODE}-06`,
    name: "川西",
    nameKana: "カワニシ",
    nameEn: "Kawanishi",
    postalCode: "779-3906",
  },
] as const;

type TDemoPartner = {
  slug: string;
  name: string;
  nameEn: string;
  kind: PartnerKind;
  approvedScopes: TApiScope[];
};

export const DEMO_PARTNERS: readonly TDemoPartner[] = [
  {
    slug: "ichimai-town",
    name: "一枚町役場",
    nameEn: "Ichimai Town Office",
    kind: "GOVERNMENT",
    approvedScopes: [
      "documents:deliver",
      "documents:status",
      "identity:verify",
      "identity:facts",
      "webhooks:manage",
      "sandbox",
    ],
  },
  {
    slug: "ichimai-nhi",
    name: "一枚町国民健康保険",
    nameEn: "Ichimai Town National Health Insurance",
    kind: "HEALTH_INSURER",
    approvedScopes: [
      "documents:deliver",
      "documents:status",
      "eligibility:verify",
      "links:write",
      "change:watch",
      "webhooks:manage",
      "sandbox",
    ],
  },
  {
    slug: "sakura-life",
    name: "さくら生命保険株式会社",
    nameEn: "Sakura Life Insurance Co., Ltd.",
    kind: "LIFE_INSURER",
    approvedScopes: [
      "documents:deliver",
      "documents:status",
      "identity:verify",
      "identity:facts",
      "change:watch",
      "webhooks:manage",
      "sandbox",
    ],
  },
  {
    slug: "awa-mirai-bank",
    name: "阿波みらい銀行",
    nameEn: "Awa Mirai Bank",
    kind: "BANK",
    approvedScopes: [
      "identity:verify",
      "identity:facts",
      "change:watch",
      "documents:deliver",
      "webhooks:manage",
      "signing:request",
      "sandbox",
    ],
  },
  {
    slug: "ichimai-hospital",
    name: "一枚町立病院",
    nameEn: "Ichimai Town Hospital",
    kind: "HOSPITAL",
    approvedScopes: [
      "eligibility:verify",
      "identity:verify",
      "documents:deliver",
      "documents:status",
      "links:write",
      "sandbox",
    ],
  },
  {
    slug: "ichimai-bus",
    name: "一枚町コミュニティバス（一枚交通株式会社）",
    nameEn: "Ichimai Community Bus (Ichimai Kotsu Co., Ltd.)",
    kind: "BUS_OPERATOR",
    approvedScopes: ["eligibility:verify", "documents:deliver", "documents:status", "links:write", "sandbox"],
  },
  {
    slug: "ichimai-suisan",
    name: "一枚水産株式会社",
    nameEn: "Ichimai Fisheries Co., Ltd.",
    kind: "EMPLOYER",
    approvedScopes: [
      "documents:deliver",
      "documents:status",
      "documents:receive",
      "identity:verify",
      "links:write",
      "sandbox",
    ],
  },
  {
    slug: "ichimai-pay",
    name: "イチマイペイ株式会社",
    nameEn: "Ichimai Pay Inc.",
    kind: "PAYMENT_PROCESSOR",
    approvedScopes: ["eligibility:verify", "identity:verify", "webhooks:manage", "sandbox"],
  },
];

const STAFF_POSTS: readonly { department: string; roles: StaffRole[] }[] = [
  { department: "住民課 住民係", roles: ["CLERK"] },
  { department: "住民課", roles: ["CLERK", "SUPERVISOR"] },
  { department: "総務課 危機管理室", roles: ["DISASTER_OFFICER"] },
  { department: "健康福祉課", roles: ["HEALTH_OFFICER"] },
  { department: "総務課 情報政策係", roles: ["ADMIN", "PARTNER_OFFICER", "AUDITOR"] },
];

/** The four basic facts (基本4情報) as a JPKI signing certificate carries them (docs/jpki.md#the-four-basic-facts). */
export type TFourFacts = {
  /** 姓 + U+3000 (ideographic space) + 名. */
  name: string;
  /** Katakana reading, same separator. */
  nameKana: string;
  /** From the prefecture down, full-width digits. */
  address: string;
  /** YYYY-MM-DD. */
  dateOfBirth: string;
  gender: Gender;
};

type TPlannedResident = {
  registryNumber: string;
  familyName: string;
  familyNameKana: string;
  givenName: string;
  givenNameKana: string;
  dateOfBirth: string;
  gender: Gender;
  householdRelation: string;
  language: string;
  needs: string[];
  email: string | null;
};

type TPlannedHousehold = {
  code: string;
  districtCode: string;
  address: string;
  postalCode: string;
  kind: string;
  members: TPlannedResident[];
};

export type TDemoPlan = { households: TPlannedHousehold[] };

type TPerson = Omit<TPlannedResident, "registryNumber" | "email" | "householdRelation">;

/** Plan the town without touching a database (pure; the same every time). */
export function planDemoMunicipality(): TDemoPlan {
  const rng = createRng(DEMO_SEED);
  const households: TPlannedHousehold[] = [];
  const streetNumber = new Map<string, number>();
  let registrySerial = 0;

  const birthDate = (age: number) => {
    const year = REFERENCE_YEAR - age - 1;
    // Born between 2 April (year) and 1 April (year + 1): exactly `age` on the reference date.
    const start = Date.UTC(year, 3, 2);
    const days = rng.int(0, 364);
    return new Date(start + days * 86_400_000).toISOString().slice(0, 10);
  };
  const japanese = (age: number, gender: "MALE" | "FEMALE", surname: TName): TPerson => {
    const dob = birthDate(age);
    const pool = GIVEN_NAMES[generationOf(Number(dob.slice(0, 4)))];
    const [givenName, givenNameKana] = rng.pick(gender === "FEMALE" ? pool.female : pool.male);
    return {
      familyName: surname[0],
      familyNameKana: surname[1],
      givenName,
      givenNameKana,
      dateOfBirth: dob,
      gender,
      language: "ja",
      needs: [],
    };
  };
  const needsFor = (age: number): string[] => {
    const needs: string[] = [];
    if (age >= 75 && rng.chance(0.22)) needs.push("wheelchair");
    if (age >= 70 && rng.chance(0.08)) needs.push("visual");
    if (age >= 75 && rng.chance(0.14)) needs.push("hearing");
    if (age >= 65 && rng.chance(0.05)) needs.push("medical_device");
    return needs;
  };
  const addHousehold = (kind: string, members: { person: TPerson; relation: string }[]) => {
    const district = DEMO_DISTRICTS[households.length % DEMO_DISTRICTS.length]!;
    const n = (streetNumber.get(district.code) ?? 0) + 1;
    streetNumber.set(district.code, n);
    const chome = 1 + ((n - 1) % 3);
    const ban = 1 + Math.floor((n - 1) / 3);
    const address = `${DEMO_PREFECTURE}${DEMO_TOWN}${district.name}${toFullWidthDigits(chome)}丁目${toFullWidthDigits(ban)}番${toFullWidthDigits(rng.int(1, 24))}号`;
    const code = `${district.code}-H${String(n).padStart(4, "0")}`;
    households.push({
      code,
      districtCode: district.code,
      address,
      postalCode: district.postalCode,
      kind,
      members: members.map(({ person, relation }) => {
        registrySerial += 1;
        const age = REFERENCE_YEAR - Number(person.dateOfBirth.slice(0, 4));
        const registryNumber = `${DEMO_MUNICIPALITY_CODE}${String(registrySerial).padStart(6, "0")}`;
        return {
          ...person,
          registryNumber,
          householdRelation: relation,
          email: age >= 18 && age < 75 && rng.chance(0.5) ? `resident${registryNumber.slice(-4)}@example.jp` : null,
        };
      }),
    });
  };

  const family = (withGrandparents: boolean) => {
    const surname = rng.pick(SURNAMES);
    const fatherAge = rng.int(withGrandparents ? 35 : 29, withGrandparents ? 52 : 47);
    const members = [
      { person: japanese(fatherAge, "MALE", surname), relation: "世帯主" },
      { person: japanese(Math.max(25, fatherAge + rng.int(-5, 2)), "FEMALE", surname), relation: "妻" },
    ];
    const children = rng.chance(0.55) ? rng.int(1, 2) : rng.int(2, 3);
    for (let i = 0; i < children; i++) {
      const age = rng.int(0, Math.min(13, fatherAge - 26));
      const person = japanese(age, rng.chance(0.5) ? "MALE" : "FEMALE", surname);
      // A child on home ventilation or tube feeding (医療的ケア児) is one the disaster plan must know.
      if (rng.chance(0.04)) person.needs = ["medical_device"];
      members.push({ person, relation: "子" });
    }
    if (withGrandparents) {
      const grandAge = fatherAge + rng.int(25, 33);
      const grandmother = japanese(grandAge, "FEMALE", surname);
      grandmother.needs = needsFor(grandAge);
      members.push({ person: grandmother, relation: "母" });
      if (rng.chance(0.5)) {
        const grandfather = japanese(grandAge + rng.int(1, 4), "MALE", surname);
        grandfather.needs = needsFor(grandAge);
        members.push({ person: grandfather, relation: "父" });
      }
    }
    addHousehold(withGrandparents ? "three_generations" : "family_with_children", members);
  };
  const singleElderly = () => {
    const age = rng.int(75, 98);
    // Women outlive men: most people living alone at this age are widows.
    const person = japanese(age, rng.chance(0.75) ? "FEMALE" : "MALE", rng.pick(SURNAMES));
    person.needs = needsFor(age);
    addHousehold("single_elderly", [{ person, relation: "世帯主" }]);
  };
  const elderlyCouple = () => {
    const surname = rng.pick(SURNAMES);
    const age = rng.int(68, 92);
    const husband = japanese(age, "MALE", surname);
    husband.needs = needsFor(age);
    const wifeAge = Math.max(65, age - rng.int(0, 5));
    const wife = japanese(wifeAge, "FEMALE", surname);
    wife.needs = needsFor(wifeAge);
    addHousehold("elderly_couple", [
      { person: husband, relation: "世帯主" },
      { person: wife, relation: "妻" },
    ]);
  };
  const middleCouple = () => {
    const surname = rng.pick(SURNAMES);
    const age = rng.int(48, 67);
    const members = [
      { person: japanese(age, "MALE", surname), relation: "世帯主" },
      { person: japanese(age - rng.int(0, 4), "FEMALE", surname), relation: "妻" },
    ];
    if (rng.chance(0.45)) {
      members.push({ person: japanese(rng.int(18, 30), rng.chance(0.5) ? "MALE" : "FEMALE", surname), relation: "子" });
    }
    addHousehold("couple", members);
  };
  const singleAdult = () => {
    const person = japanese(rng.int(20, 64), rng.chance(0.55) ? "MALE" : "FEMALE", rng.pick(SURNAMES));
    addHousehold("single", [{ person, relation: "世帯主" }]);
  };
  const foreign = (
    familyName: string,
    familyNameKana: string,
    givenName: string,
    givenNameKana: string,
    age: number,
    gender: "MALE" | "FEMALE",
    language: string,
    needs: string[] = [],
  ): TPerson => ({
    familyName,
    familyNameKana,
    givenName,
    givenNameKana,
    dateOfBirth: birthDate(age),
    gender,
    language,
    needs,
  });

  // Foreign residents: technical interns at the fish-processing plant, a Chinese family, an
  // English teacher, and a Filipina married into a Japanese family.
  addHousehold("single_foreign", [
    {
      person: foreign("NGUYEN", "グエン", "VAN AN", "ヴァン アン", 24, "MALE", "vi", ["interpreter"]),
      relation: "世帯主",
    },
  ]);
  addHousehold("single_foreign", [
    {
      person: foreign("TRAN", "チャン", "THI HOA", "ティ ホア", 22, "FEMALE", "vi", ["interpreter"]),
      relation: "世帯主",
    },
  ]);
  addHousehold("single_foreign", [
    { person: foreign("PHAM", "ファム", "MINH DUC", "ミン ドゥック", 27, "MALE", "vi"), relation: "世帯主" },
  ]);
  addHousehold("foreign_family", [
    { person: foreign("王", "ワン", "偉", "ウェイ", 38, "MALE", "zh"), relation: "世帯主" },
    { person: foreign("李", "リ", "娜", "ナ", 35, "FEMALE", "zh", ["interpreter"]), relation: "妻" },
    { person: foreign("王", "ワン", "子涵", "ズーハン", 7, "FEMALE", "zh"), relation: "子" },
  ]);
  addHousehold("single_foreign", [
    { person: foreign("SMITH", "スミス", "OLIVER JAMES", "オリバー ジェームズ", 31, "MALE", "en"), relation: "世帯主" },
  ]);
  {
    const surname = rng.pick(SURNAMES);
    addHousehold("mixed_family", [
      { person: japanese(44, "MALE", surname), relation: "世帯主" },
      { person: foreign("SANTOS", "サントス", "MARIA CLARA", "マリア クララ", 39, "FEMALE", "tl"), relation: "妻" },
      { person: japanese(9, "FEMALE", surname), relation: "子" },
    ]);
  }

  // The rest by weight, roughly a depopulating Shikoku coastal town: about 40% aged 65+, about 12%
  // children.
  const kinds: [number, () => void][] = [
    [8, () => family(false)],
    [4, () => family(true)],
    [28, singleElderly],
    [26, elderlyCouple],
    [14, middleCouple],
    [10, singleAdult],
  ];
  const total = kinds.reduce((s, [w]) => s + w, 0);
  const count = () => households.reduce((s, h) => s + h.members.length, 0);
  while (count() < MIN_RESIDENTS) {
    let roll = rng.next() * total;
    for (const [weight, make] of kinds) {
      roll -= weight;
      if (roll < 0) {
        make();
        break;
      }
    }
  }
  return { households };
}

export type TDemoResident = {
  id: string;
  registryNumber: string;
  householdId: string;
  districtCode: string;
  householdRelation: string;
  language: string;
  needs: string[];
  /** Age on DEMO_REFERENCE_DATE. */
  age: number;
  facts: TFourFacts;
};

export type TDemoMunicipality = {
  municipality: { code: string; prefecture: string; name: string; nameEn: string };
  districts: { id: string; code: string; name: string; nameKana: string; nameEn: string }[];
  residents: TDemoResident[];
  staff: { id: string; residentId: string; employeeNumber: string; department: string; roles: StaffRole[] }[];
  partners: { id: string; slug: string; name: string; nameEn: string; kind: PartnerKind; approvedScopes: string[] }[];
  /** One LIVE credential per partner; the secrets are fixed demo values, never for production. */
  credentials: { partnerSlug: string; clientId: string; clientSecret: string; scopes: string[]; mode: "LIVE" }[];
  /**
   * Per partner one console OWNER (`owner@<slug>.example.jp`) and one DEVELOPER
   * (`dev@<slug>.example.jp`); the password is DEMO_PARTNER_PASSWORD (prisma/seed/factories.ts).
   */
  partnerUsers: { partnerSlug: string; email: string; role: "OWNER" | "DEVELOPER" }[];
  /** Rows this run created (all zero on a second run). */
  created: {
    districts: number;
    households: number;
    residents: number;
    staff: number;
    partners: number;
    credentials: number;
  };
};

/** The four facts of a planned resident as they go on the signing certificate. */
export function fourFactsOf(r: {
  familyName: string;
  givenName: string;
  familyNameKana: string;
  givenNameKana: string;
  address: string;
  dateOfBirth: Date;
  gender: Gender;
}): TFourFacts {
  return {
    name: `${r.familyName}\u3000${r.givenName}`,
    nameKana: `${r.familyNameKana}\u3000${r.givenNameKana}`,
    address: r.address,
    dateOfBirth: r.dateOfBirth.toISOString().slice(0, 10),
    gender: r.gender,
  };
}

async function counts(prisma: PrismaClient) {
  const [districts, households, residents, staff, partners, credentials] = await Promise.all([
    prisma.district.count(),
    prisma.household.count(),
    prisma.resident.count(),
    prisma.staffMember.count(),
    prisma.partner.count(),
    prisma.partnerCredential.count(),
  ]);
  return { districts, households, residents, staff, partners, credentials };
}

/**
 * Create (or find) the demo town: districts, households, residents, staff, partners and one TEST
 * credential per partner. Idempotent. Appends one `system.job_run` audit event when it created
 * anything, and none when it did not: loading registry data is a system job, not an access to
 * any one resident's data.
 */
export async function seedDemoMunicipality(prisma: PrismaClient): Promise<TDemoMunicipality> {
  const plan = planDemoMunicipality();
  const rng: TRng = createRng(DEMO_SEED ^ 0x5ec2e7);
  const before = await counts(prisma);

  const outlines = demoDistrictOutlines();
  const districts = [];
  for (const d of DEMO_DISTRICTS) {
    const geometry = outlines.get(d.code)! as unknown as Prisma.InputJsonValue;
    const row = await seedDistrict(prisma, {
      code: d.code,
      name: d.name,
      nameKana: d.nameKana,
      nameEn: d.nameEn,
      geometry,
    });
    // A town seeded before districts had outlines gets them now.
    if (row.geometry === null) await prisma.district.update({ where: { id: row.id }, data: { geometry } });
    districts.push(row);
  }
  const districtIdByCode = new Map(districts.map((d) => [d.code, d.id]));

  const residents: TDemoResident[] = [];
  for (const h of plan.households) {
    const districtId = districtIdByCode.get(h.districtCode)!;
    const point = demoHouseholdPoint(h.code, outlines.get(h.districtCode)!);
    const household = await seedHousehold(prisma, { code: h.code, districtId, address: h.address, ...point });
    if (household.latitude === null) await prisma.household.update({ where: { id: household.id }, data: point });
    for (const m of h.members) {
      const row = await seedResident(prisma, {
        registryNumber: m.registryNumber,
        familyName: m.familyName,
        familyNameKana: m.familyNameKana,
        givenName: m.givenName,
        givenNameKana: m.givenNameKana,
        dateOfBirth: new Date(`${m.dateOfBirth}T00:00:00Z`),
        gender: m.gender,
        address: h.address,
        postalCode: h.postalCode,
        districtId,
        householdId: household.id,
        householdRelation: m.householdRelation,
        language: m.language,
        needs: m.needs,
        email: m.email,
      });
      residents.push({
        id: row.id,
        registryNumber: row.registryNumber,
        householdId: row.householdId,
        districtCode: h.districtCode,
        householdRelation: row.householdRelation,
        language: row.language,
        needs: row.needs,
        age: REFERENCE_YEAR - Number(m.dateOfBirth.slice(0, 4)) - (m.dateOfBirth.slice(5) > "04-01" ? 1 : 0),
        facts: fourFactsOf(row),
      });
    }
  }

  // Staff: working-age Japanese-speaking heads of household, the first five in registry order.
  const staffResidents = residents
    .filter((r) => r.language === "ja" && r.age >= 25 && r.age <= 60 && r.householdRelation === "世帯主")
    .slice(0, STAFF_POSTS.length);
  const staff = [];
  for (const [i, post] of STAFF_POSTS.entries()) {
    const resident = staffResidents[i]!;
    const row = await seedStaffMember(prisma, {
      employeeNumber: `${DEMO_MUNICIPALITY_CODE}-S${String(i + 1).padStart(3, "0")}`,
      residentId: resident.id,
      department: post.department,
      roles: post.roles,
    });
    staff.push({
      id: row.id,
      residentId: row.residentId,
      employeeNumber: row.employeeNumber,
      department: row.department,
      roles: row.roles,
    });
  }

  const partners = [];
  const credentials: TDemoMunicipality["credentials"] = [];
  const partnerUsers: TDemoMunicipality["partnerUsers"] = [];
  for (const p of DEMO_PARTNERS) {
    const row = await seedPartner(prisma, { ...p, contactEmail: `api@${p.slug}.example.jp` });
    partners.push({
      id: row.id,
      slug: row.slug,
      name: row.name,
      nameEn: row.nameEn,
      kind: row.kind,
      approvedScopes: row.approvedScopes,
    });
    // Fixed demo values so the printed credentials stay valid across re-seeds.
    // LIVE: the demo town's residents are the real side; TEST keys reach the sandbox (npm run sandbox).
    const clientId = `ich_live_${rng.bytes(12).toString("hex")}`;
    const clientSecret = `ich_secret_${rng.bytes(32).toString("base64url")}`;
    const { credential } = await seedPartnerCredential(prisma, {
      partnerId: row.id,
      clientId,
      clientSecret,
      mode: "LIVE",
      scopes: p.approvedScopes,
    });
    credentials.push({ partnerSlug: p.slug, clientId, clientSecret, scopes: credential.scopes, mode: "LIVE" });
    // The partner's console owner: owner@<slug>.example.jp with DEMO_PARTNER_PASSWORD.
    const owner = await seedPartnerUser(prisma, {
      partnerId: row.id,
      email: `owner@${p.slug}.example.jp`,
      displayName: `${p.name} 管理者`,
      role: "OWNER",
    });
    partnerUsers.push({ partnerSlug: p.slug, email: owner.email, role: owner.role });
    // And a developer, to try the role split: dev@<slug>.example.jp, same password.
    const developer = await seedPartnerUser(prisma, {
      partnerId: row.id,
      email: `dev@${p.slug}.example.jp`,
      displayName: `${p.name} 開発者`,
      role: "DEVELOPER",
    });
    partnerUsers.push({ partnerSlug: p.slug, email: developer.email, role: developer.role });
  }

  const after = await counts(prisma);
  const created = {
    districts: after.districts - before.districts,
    households: after.households - before.households,
    residents: after.residents - before.residents,
    staff: after.staff - before.staff,
    partners: after.partners - before.partners,
    credentials: after.credentials - before.credentials,
  };
  if (Object.values(created).some((n) => n > 0)) {
    await prisma.$transaction((tx) =>
      appendAuditEvent(tx, {
        type: "system.job_run",
        actor: { type: "system", id: "seed-demo-municipality" },
        channel: "system",
        purpose: "デモ自治体データの投入",
        data: { job: "seed-demo-municipality", municipalityCode: DEMO_MUNICIPALITY_CODE, created },
      }),
    );
  }

  return {
    municipality: {
      code: DEMO_MUNICIPALITY_CODE,
      prefecture: DEMO_PREFECTURE,
      name: DEMO_TOWN,
      nameEn: "Ichimai Town",
    },
    districts: districts.map((d) => ({ id: d.id, code: d.code, name: d.name, nameKana: d.nameKana, nameEn: d.nameEn })),
    residents,
    staff,
    partners,
    credentials,
    partnerUsers,
    created,
  };
}

/**
 * Keep the demo partners' LIVE API credentials and console users (fixed, public demo values) in
 * `.data/demo-credentials.json` (git-ignored) for the README walk-throughs; returns the path.
 */
export async function writeDemoCredentials(town: TDemoMunicipality): Promise<string> {
  const file = path.join(resolveDataPath(".data"), "demo-credentials.json");
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(
    file,
    `${JSON.stringify(
      {
        municipality: town.municipality,
        credentials: town.credentials,
        partnerConsoleUsers: town.partnerUsers.map((u) => ({ ...u, password: DEMO_PARTNER_PASSWORD })),
        staff: town.staff,
      },
      null,
      2,
    )}\n`,
    { mode: 0o600 },
  );
  return file;
}
