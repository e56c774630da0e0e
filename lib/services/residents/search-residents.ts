import type { Prisma, PrismaClient } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { ZResidentSearch } from "./schemas";
import { assertRole, REGISTRY_ROLES, type TRegistryStaff } from "./staff-roles";

export const RESIDENT_SEARCH_PAGE_SIZE = 20;

/** One search hit: only what identifies the person enough to pick the right record. */
export type TResidentHitDto = {
  id: string;
  name: string;
  nameKana: string;
  registryNumber: string;
  /** Year of birth only (tells namesakes apart without the full date). */
  birthYear: number;
  districtName: string;
  left: boolean;
};

export type TResidentSearchPage = { items: TResidentHitDto[]; page: number; hasNext: boolean; total: number };

/** Spaces (ASCII, ideographic) dropped, so 「山田 太郎」 finds 山田太郎. */
function compact(s: string): string {
  return s.replace(/[\s\u3000]+/g, "");
}

/**
 * Staff search the registry by name (kanji or kana, family or given or both run together),
 * registry number (prefix) or district code. The list shows minimal identifying data; opening a
 * record needs a purpose ({@link openResidentRecord}) and is what the resident's access log
 * shows. At least one criterion (VALIDATION_FAILED otherwise); residents who left only with
 * `includeLeft`. Sandbox (partner test) residents never appear.
 */
export async function searchResidents(
  prisma: PrismaClient,
  o: { staff: TRegistryStaff; query: unknown },
): Promise<TResidentSearchPage> {
  assertRole(o.staff, REGISTRY_ROLES);
  const q = ZResidentSearch.parse(o.query);
  const name = q.name ? compact(q.name) : "";
  const registryNumber = q.registryNumber?.trim() ?? "";
  const districtCode = q.districtCode?.trim() ?? "";
  if (!name && !registryNumber && !districtCode) {
    throw new AppError("VALIDATION_FAILED", { details: [{ path: "name", message: "at least one criterion" }] });
  }
  const and: Prisma.ResidentWhereInput[] = [{ sandbox: false }];
  if (!q.includeLeft) and.push({ leftAt: null });
  if (registryNumber) and.push({ registryNumber: { startsWith: registryNumber } });
  if (districtCode) and.push({ district: { code: districtCode } });
  if (name) {
    // A run-together name: its split between family and given name is unknown, so try each one.
    const splits: Prisma.ResidentWhereInput[] = [];
    for (let i = 1; i < name.length; i++) {
      const [family, given] = [name.slice(0, i), name.slice(i)];
      splits.push({ familyName: family, givenName: { startsWith: given } });
      splits.push({ familyNameKana: family, givenNameKana: { startsWith: given } });
    }
    and.push({
      OR: [
        { familyName: { startsWith: name } },
        { givenName: { startsWith: name } },
        { familyNameKana: { startsWith: name } },
        { givenNameKana: { startsWith: name } },
        ...splits.slice(0, 80),
      ],
    });
  }
  const where: Prisma.ResidentWhereInput = { AND: and };
  const skip = (q.page - 1) * RESIDENT_SEARCH_PAGE_SIZE;
  const [total, rows] = await Promise.all([
    prisma.resident.count({ where }),
    prisma.resident.findMany({
      where,
      orderBy: [{ familyNameKana: "asc" }, { givenNameKana: "asc" }, { registryNumber: "asc" }],
      skip,
      take: RESIDENT_SEARCH_PAGE_SIZE,
      select: {
        id: true,
        familyName: true,
        givenName: true,
        familyNameKana: true,
        givenNameKana: true,
        registryNumber: true,
        dateOfBirth: true,
        leftAt: true,
        district: { select: { name: true } },
      },
    }),
  ]);
  return {
    page: q.page,
    total,
    hasNext: skip + rows.length < total,
    items: rows.map((r) => ({
      id: r.id,
      name: `${r.familyName}\u3000${r.givenName}`,
      nameKana: `${r.familyNameKana}\u3000${r.givenNameKana}`,
      registryNumber: r.registryNumber,
      birthYear: r.dateOfBirth.getUTCFullYear(),
      districtName: r.district.name,
      left: r.leftAt !== null,
    })),
  };
}
