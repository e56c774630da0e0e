import { z } from "zod";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { TRequestMetadata } from "@/lib/audit/schemas";
import type { PrismaClient } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { unsafeTextFieldOf } from "@/lib/http/safe-text";
import { currentProtection, type TProtectionKind } from "@/lib/protection/protection";
import { purposeTextOf, type TStaffPurposeInput, ZStaffPurpose } from "./schemas";
import { assertRole, REGISTRY_ROLES, type TRegistryStaff } from "./staff-roles";

/** A resident's record as staff see it after stating a purpose. */
export type TResidentRecordDto = {
  id: string;
  registryNumber: string;
  familyName: string;
  givenName: string;
  familyNameKana: string;
  givenNameKana: string;
  dateOfBirth: string;
  gender: "MALE" | "FEMALE" | "UNKNOWN";
  address: string;
  postalCode: string;
  district: { code: string; name: string };
  household: {
    code: string;
    relation: string;
    members: { id: string; name: string; relation: string; left: boolean }[];
  };
  leftAt: Date | null;
  leftReason: string | null;
  certificates: { kind: "AUTH" | "SIGN"; serialNumber: string; tokenType: string; status: string; notAfter: Date }[];
  protection: { kind: TProtectionKind; setAt: Date } | null;
  /** The purpose written to the resident's access log for this view. */
  purpose: string;
};

/**
 * The purpose of a look-up, or the refusal: nothing stated (or OTHER without its text) is
 * STAFF_PURPOSE_REQUIRED; NUL or a lone surrogate in the text is TEXT_CHARACTER_FORBIDDEN.
 */
export function parseStaffPurpose(input: unknown): TStaffPurposeInput {
  const parsed = ZStaffPurpose.safeParse(input);
  if (parsed.success) return parsed.data;
  const field = unsafeTextFieldOf(parsed.error);
  if (field) throw new AppError("TEXT_CHARACTER_FORBIDDEN", { details: { field } });
  throw new AppError("STAFF_PURPOSE_REQUIRED");
}

/**
 * Staff open a resident's record. A purpose is required (a standard one, or OTHER with its
 * text): without one nothing is read (STAFF_PURPOSE_REQUIRED). Each opening writes
 * `staff.access` with that purpose, in the same transaction as the read, so it shows in the
 * resident's access log; the purpose holds for this one view only (the next view states it again).
 */
export async function openResidentRecord(
  prisma: PrismaClient,
  o: { staff: TRegistryStaff; residentId: string; purpose: unknown; requestMetadata?: TRequestMetadata },
): Promise<TResidentRecordDto> {
  assertRole(o.staff, REGISTRY_ROLES);
  const purpose = parseStaffPurpose(o.purpose);
  if (!z.uuid().safeParse(o.residentId).success) throw new AppError("NOT_FOUND");
  const purposeText = purposeTextOf(purpose);
  return prisma.$transaction(async (tx) => {
    const r = await tx.resident.findFirst({
      where: { id: o.residentId, sandbox: false },
      select: {
        id: true,
        registryNumber: true,
        familyName: true,
        givenName: true,
        familyNameKana: true,
        givenNameKana: true,
        dateOfBirth: true,
        gender: true,
        address: true,
        postalCode: true,
        householdRelation: true,
        leftAt: true,
        leftReason: true,
        district: { select: { code: true, name: true } },
        household: {
          select: {
            code: true,
            residents: {
              orderBy: { dateOfBirth: "asc" },
              select: { id: true, familyName: true, givenName: true, householdRelation: true, leftAt: true },
            },
          },
        },
        certificateBindings: {
          orderBy: { boundAt: "desc" },
          select: { kind: true, serialNumber: true, tokenType: true, status: true, notAfter: true },
        },
      },
    });
    if (!r) throw new AppError("NOT_FOUND");
    await appendAuditEvent(tx, {
      type: "staff.access",
      actor: { type: "staff", id: o.staff.staffId },
      subjectResidentId: r.id,
      purpose: purposeText,
      channel: "console",
      requestMetadata: o.requestMetadata,
      data: { operation: "resident_record_read", purposeCode: purpose.purpose },
    });
    const protection = await currentProtection(tx, r.id);
    return {
      id: r.id,
      registryNumber: r.registryNumber,
      familyName: r.familyName,
      givenName: r.givenName,
      familyNameKana: r.familyNameKana,
      givenNameKana: r.givenNameKana,
      dateOfBirth: r.dateOfBirth.toISOString().slice(0, 10),
      gender: r.gender,
      address: r.address,
      postalCode: r.postalCode,
      district: r.district,
      household: {
        code: r.household.code,
        relation: r.householdRelation,
        members: r.household.residents
          .filter((m) => m.id !== r.id)
          .map((m) => ({
            id: m.id,
            name: `${m.familyName}\u3000${m.givenName}`,
            relation: m.householdRelation,
            left: m.leftAt !== null,
          })),
      },
      leftAt: r.leftAt,
      leftReason: r.leftReason,
      certificates: r.certificateBindings,
      protection: protection ? { kind: protection.kind, setAt: protection.setAt } : null,
      purpose: purposeText,
    };
  });
}
