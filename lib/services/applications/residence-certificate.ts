import type { Prisma, PrismaClient } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import type { residenceCertificate } from "@/lib/mailbox/document-types/residence-certificate";

/** The payload of a `residence-certificate` document (住民票の写し). */
export type TResidenceCertificatePayload = ReturnType<typeof residenceCertificate.schema.parse>;

/** Who the copy lists: the person alone (個人票) or the whole household (世帯全員). */
export type TResidenceCertificateScope = "self" | "household";

const personSelect = {
  id: true,
  familyName: true,
  givenName: true,
  familyNameKana: true,
  givenNameKana: true,
  dateOfBirth: true,
  gender: true,
  householdRelation: true,
  address: true,
} satisfies Prisma.ResidentSelect;

type TPerson = Prisma.ResidentGetPayload<{ select: typeof personSelect }>;

/** The registry's 続柄 as the document type's relation. */
export function relationOf(householdRelation: string): "head" | "spouse" | "child" | "parent" | "other" {
  if (householdRelation === "世帯主") return "head";
  if (["妻", "夫", "配偶者"].includes(householdRelation)) return "spouse";
  if (householdRelation === "子" || householdRelation.endsWith("男") || householdRelation.endsWith("女")) {
    return "child";
  }
  if (["父", "母"].includes(householdRelation)) return "parent";
  return "other";
}

function personOf(p: TPerson) {
  if (p.gender === "UNKNOWN") {
    // The document type lists 男/女 only; an unknown gender is not guessed.
    throw new AppError("VALIDATION_FAILED", { message: "The registry record has no gender the certificate can show." });
  }
  return {
    name: `${p.familyName} ${p.givenName}`,
    nameKana: `${p.familyNameKana} ${p.givenNameKana}`,
    dateOfBirth: p.dateOfBirth.toISOString().slice(0, 10),
    gender: p.gender === "MALE" ? ("male" as const) : ("female" as const),
    relation: relationOf(p.householdRelation),
  };
}

/** Options of {@link buildResidenceCertificate}. */
export type TBuildResidenceCertificateOptions = {
  residentId: string;
  scope: TResidenceCertificateScope;
  /** Issuing municipality as printed, e.g. 徳島県一枚町. */
  municipality: string;
  certificateNumber: string;
  issuedOn: Date;
  remarks?: string;
};

/**
 * 住民票の写し built from the resident's own registry record (and, for `household`, the current
 * members of their household, head first): never a sample. NOT_FOUND when the resident is not
 * in the registry any more.
 */
export async function buildResidenceCertificate(
  db: PrismaClient | Prisma.TransactionClient,
  o: TBuildResidenceCertificateOptions,
): Promise<TResidenceCertificatePayload> {
  const resident = await db.resident.findUnique({
    where: { id: o.residentId },
    select: { ...personSelect, householdId: true, leftAt: true },
  });
  if (!resident || resident.leftAt) throw new AppError("NOT_FOUND", { message: "No current registry record." });
  const household = await db.resident.findMany({
    where: { householdId: resident.householdId, leftAt: null },
    select: personSelect,
    orderBy: [{ dateOfBirth: "asc" }, { id: "asc" }],
  });
  const head = household.find((p) => p.householdRelation === "世帯主");
  const listed =
    o.scope === "household"
      ? [...household].sort((a, b) => Number(b.id === head?.id) - Number(a.id === head?.id))
      : [resident];
  return {
    municipality: o.municipality,
    certificateNumber: o.certificateNumber,
    issuedOn: o.issuedOn.toISOString().slice(0, 10),
    address: resident.address,
    headOfHousehold: head ? `${head.familyName} ${head.givenName}` : `${resident.familyName} ${resident.givenName}`,
    persons: listed.slice(0, 20).map(personOf),
    ...(o.remarks ? { remarks: o.remarks } : {}),
  };
}
