/**
 * Seed factories shared by the demo seed (prisma/seed/demo.ts) and tests (convention 20,
 * docs/architecture.md#conventions). Each takes a Prisma client or transaction client and partial overrides, fills
 * the rest with deterministic values, and is idempotent on its natural key: when a row with that
 * key exists it is returned unchanged. Ids are derived from the natural key (stableUuid), so a
 * seeded row has the same id in every database. Factories write no audit events: they stand for
 * records that exist before the portal does (the registry), not for actions in it.
 */
import { randomBytes } from "node:crypto";
import type { Prisma } from "../../lib/db/client";
import { digestApiSecret } from "../../lib/partners/api-secret-digest";
import { API_SCOPES, type TApiScope } from "../../lib/partners/scopes";
import { hashPassword } from "../../lib/partners/secret-hash";
import type {
  District,
  Household,
  Partner,
  PartnerCredential,
  PartnerUser,
  Resident,
  StaffMember,
} from "../../generated/prisma/client";
import { GIVEN_NAMES, SURNAMES } from "./names";
import { createRng, stableUuid, type TRng, toFullWidthDigits } from "./random";

/** A Prisma client or the `tx` of an interactive transaction. */
export type TSeedDb = Prisma.TransactionClient;

export const DEMO_PREFECTURE = "徳島県";
export const DEMO_TOWN = "一枚町";
export const DEMO_MUNICIPALITY_CODE = "36999";

// Defaults for rows the caller leaves open: one PRNG and counters per process, so successive
// calls in a test get distinct but reproducible values.
let rng: TRng = createRng(0x1c41a1);
let worker = 0;
const counters = new Map<string, number>();
function nextNumber(kind: string): number {
  const n = (counters.get(kind) ?? 0) + 1;
  counters.set(kind, n);
  return n;
}
/** The worker number as it appears in default natural keys (two digits). */
const w = () => String(worker).padStart(2, "0");

/**
 * Give this process's default natural keys their own range, for several processes seeding one
 * database (Playwright workers): call once per worker with its index (0–99). Defaults stay
 * deterministic per worker; explicit overrides are unaffected.
 */
export function configureSeedFactories(options: { worker: number }): void {
  if (!Number.isInteger(options.worker) || options.worker < 0 || options.worker > 99) {
    throw new Error("configureSeedFactories: worker must be an integer 0–99");
  }
  worker = options.worker;
  rng = createRng(0x1c41a1 + worker);
  counters.clear();
}

export type SeedDistrictOverrides = Partial<Pick<District, "code" | "name" | "nameKana" | "nameEn">> & {
  /** The outline as GeoJSON (lib/geo); none by default. */
  geometry?: Prisma.InputJsonValue;
};

/** A 地区 (district) of the town, by its code. */
export async function seedDistrict(db: TSeedDb, overrides: SeedDistrictOverrides = {}): Promise<District> {
  const n = nextNumber("district");
  const code = overrides.code ?? `${DEMO_MUNICIPALITY_CODE}-T${w()}-${String(n).padStart(3, "0")}`;
  const existing = await db.district.findUnique({ where: { code } });
  if (existing) return existing;
  return db.district.create({
    data: {
      id: stableUuid("district", code),
      code,
      name: overrides.name ?? `試験${n}地区`,
      nameKana: overrides.nameKana ?? `シケン${n}チク`,
      nameEn: overrides.nameEn ?? `Test District ${n}`,
      geometry: overrides.geometry ?? undefined,
    },
  });
}

export type SeedHouseholdOverrides = Partial<
  Pick<Household, "code" | "districtId" | "address" | "latitude" | "longitude">
>;

/** A household (世帯), by its code; creates a district when none is given. */
export async function seedHousehold(db: TSeedDb, overrides: SeedHouseholdOverrides = {}): Promise<Household> {
  const n = nextNumber("household");
  const code = overrides.code ?? `T${w()}-H${String(n).padStart(5, "0")}`;
  const existing = await db.household.findUnique({ where: { code } });
  if (existing) return existing;
  const district = overrides.districtId
    ? await db.district.findUniqueOrThrow({ where: { id: overrides.districtId } })
    : await seedDistrict(db);
  return db.household.create({
    data: {
      id: stableUuid("household", code),
      code,
      districtId: district.id,
      address:
        overrides.address ??
        `${DEMO_PREFECTURE}${DEMO_TOWN}${district.name}${toFullWidthDigits(rng.int(1, 3))}丁目${toFullWidthDigits(n)}番${toFullWidthDigits(rng.int(1, 20))}号`,
      latitude: overrides.latitude ?? null,
      longitude: overrides.longitude ?? null,
    },
  });
}

export type SeedResidentOverrides = Partial<Omit<Prisma.ResidentUncheckedCreateInput, "id">>;

/**
 * A resident registry record, by registryNumber; creates a household (and district) when none
 * is given, and takes its address from the household.
 */
export async function seedResident(db: TSeedDb, overrides: SeedResidentOverrides = {}): Promise<Resident> {
  const n = nextNumber("resident");
  const registryNumber = overrides.registryNumber ?? `${DEMO_MUNICIPALITY_CODE}9${w()}${String(n).padStart(4, "0")}`;
  const existing = await db.resident.findUnique({ where: { registryNumber } });
  if (existing) return existing;
  const household = overrides.householdId
    ? await db.household.findUniqueOrThrow({ where: { id: overrides.householdId } })
    : await seedHousehold(db, overrides.districtId ? { districtId: overrides.districtId } : {});
  const female = rng.chance(0.5);
  const [familyName, familyNameKana] = rng.pick(SURNAMES);
  const [givenName, givenNameKana] = rng.pick(female ? GIVEN_NAMES.middle.female : GIVEN_NAMES.middle.male);
  const dateOfBirth = new Date(Date.UTC(rng.int(1960, 1990), rng.int(0, 11), rng.int(1, 28)));
  return db.resident.create({
    data: {
      familyName,
      familyNameKana,
      givenName,
      givenNameKana,
      dateOfBirth,
      gender: female ? "FEMALE" : "MALE",
      address: household.address,
      postalCode: "779-3999",
      householdRelation: "世帯主",
      ...overrides,
      id: stableUuid("resident", registryNumber),
      registryNumber,
      householdId: household.id,
      districtId: overrides.districtId ?? household.districtId,
    },
  });
}

export type SeedStaffMemberOverrides = Partial<
  Pick<StaffMember, "residentId" | "employeeNumber" | "department" | "roles" | "active">
>;

/** A staff role on a resident account, by employeeNumber; creates the resident when none is given. */
export async function seedStaffMember(db: TSeedDb, overrides: SeedStaffMemberOverrides = {}): Promise<StaffMember> {
  const n = nextNumber("staff");
  const employeeNumber = overrides.employeeNumber ?? `T${w()}-E${String(n).padStart(4, "0")}`;
  const existing = await db.staffMember.findUnique({ where: { employeeNumber } });
  if (existing) return existing;
  const residentId = overrides.residentId ?? (await seedResident(db)).id;
  return db.staffMember.create({
    data: {
      id: stableUuid("staff", employeeNumber),
      employeeNumber,
      residentId,
      department: overrides.department ?? "住民課",
      roles: overrides.roles ?? ["CLERK"],
      active: overrides.active ?? true,
    },
  });
}

export type SeedPartnerOverrides = Partial<
  Pick<Partner, "slug" | "name" | "nameEn" | "kind" | "approvedScopes" | "contactEmail" | "active" | "actionOrigins">
>;

/** A service partner, by slug. */
export async function seedPartner(db: TSeedDb, overrides: SeedPartnerOverrides = {}): Promise<Partner> {
  const n = nextNumber("partner");
  const slug = overrides.slug ?? `test-partner-${w()}-${n}`;
  const existing = await db.partner.findUnique({ where: { slug } });
  if (existing) return existing;
  return db.partner.create({
    data: {
      id: stableUuid("partner", slug),
      slug,
      name: overrides.name ?? `試験パートナー${n}`,
      nameEn: overrides.nameEn ?? `Test Partner ${n}`,
      kind: overrides.kind ?? "BANK",
      approvedScopes: overrides.approvedScopes ?? [...API_SCOPES],
      contactEmail: overrides.contactEmail ?? `${slug}@example.jp`,
      active: overrides.active ?? true,
      actionOrigins: overrides.actionOrigins ?? [],
    },
  });
}

export type SeedPartnerCredentialOverrides = Partial<
  Pick<PartnerCredential, "partnerId" | "clientId" | "mode" | "rateLimit" | "expiresAt" | "revokedAt">
> & {
  /** The secret to digest; a deterministic one is made up when absent. */
  clientSecret?: string;
  scopes?: TApiScope[];
};

/**
 * An API credential, by clientId, with its secret (returned in the clear for tests and the
 * demo; production credentials come from lib/partners/create-partner-credential.ts). Creates a
 * partner when none is given; scopes default to the partner's approved scopes.
 */
export async function seedPartnerCredential(
  db: TSeedDb,
  overrides: SeedPartnerCredentialOverrides = {},
): Promise<{ credential: PartnerCredential; clientSecret: string }> {
  // LIVE by default: tests deliver to ordinary residents; sandbox tests ask for TEST.
  const mode = overrides.mode ?? "LIVE";
  // A generated id is random, not from the seeded generator: two processes (Playwright workers, a
  // restarted worker) would draw the same one, and the second would silently get the first's
  // credential (another partner's, other scopes). Only an explicit clientId is reused (idempotent).
  const clientId = overrides.clientId ?? `ich_${mode.toLowerCase()}_${randomBytes(12).toString("hex")}`;
  const clientSecret = overrides.clientSecret ?? `ich_secret_${randomBytes(32).toString("base64url")}`;
  const existing = await db.partnerCredential.findUnique({ where: { clientId } });
  if (existing) return { credential: existing, clientSecret };
  const partner = overrides.partnerId
    ? await db.partner.findUniqueOrThrow({ where: { id: overrides.partnerId } })
    : await seedPartner(db);
  const credential = await db.partnerCredential.create({
    data: {
      id: stableUuid("partner-credential", clientId),
      partnerId: partner.id,
      clientId,
      secretHash: digestApiSecret(clientSecret),
      secretHint: clientSecret.slice(-4),
      scopes: overrides.scopes ?? partner.approvedScopes,
      mode,
      rateLimit: overrides.rateLimit ?? 600,
      expiresAt: overrides.expiresAt ?? null,
      revokedAt: overrides.revokedAt ?? null,
    },
  });
  return { credential, clientSecret };
}

export type SeedPartnerUserOverrides = Partial<
  Pick<PartnerUser, "partnerId" | "email" | "displayName" | "role" | "active">
> & {
  /** The password to hash; "ichimai-partner-demo" when absent (demo and tests only). */
  password?: string;
};

/** The demo password of seeded partner users (README "Demo logins"); never for production. */
export const DEMO_PARTNER_PASSWORD = "ichimai-partner-demo";

/**
 * A partner console user, by e-mail (lower-cased), with a scrypt-hashed password. Creates a
 * partner when none is given. Returns the row (the password is the caller's own).
 */
export async function seedPartnerUser(db: TSeedDb, overrides: SeedPartnerUserOverrides = {}): Promise<PartnerUser> {
  const n = nextNumber("partner-user");
  const email = (overrides.email ?? `user-${w()}-${n}@partner.example.jp`).trim().toLowerCase();
  const existing = await db.partnerUser.findUnique({ where: { email } });
  if (existing) return existing;
  const partnerId = overrides.partnerId ?? (await seedPartner(db)).id;
  return db.partnerUser.create({
    data: {
      id: stableUuid("partner-user", email),
      partnerId,
      email,
      displayName: overrides.displayName ?? `担当者${n}`,
      passwordHash: await hashPassword(overrides.password ?? DEMO_PARTNER_PASSWORD),
      role: overrides.role ?? "OWNER",
      active: overrides.active ?? true,
    },
  });
}
