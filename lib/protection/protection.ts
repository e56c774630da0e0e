/**
 * Protected persons (支援措置): municipal staff put a resident under protection (DV, stalking,
 * abuse) and only a SUPERVISOR or ADMIN lifts it. While a period is open:
 *
 * - proxies stop: no new grant, and existing grants do not work (lib/proxies);
 * - partners' link requests for the resident are refused with the same code as a verification
 *   that reaches no resident (LINK_VERIFICATION_INVALID), so the refusal reveals nothing (lib/links);
 * - the address is not disclosed to partners: identity verifications of the resident carry no
 *   four facts, and revocation events carry no latest four facts (lib/platform).
 *
 * Setting and lifting are audited `resident.protection_changed` (the kind and reason stay in the
 * audit row's data, never in the resident-visible purpose text beyond the standard wording).
 */
import { z } from "zod";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { TRequestMetadata } from "@/lib/audit/schemas";
import type { Prisma, PrismaClient } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { ZSafeText } from "@/lib/http/safe-text";

/** Any staff role that handles the registry may set a protection. */
export const PROTECTION_SET_ROLES = ["CLERK", "SUPERVISOR", "ADMIN"] as const;
/** Lifting exposes the person again: only a supervisor or an administrator. */
export const PROTECTION_LIFT_ROLES = ["SUPERVISOR", "ADMIN"] as const;

export const PROTECTION_KINDS = ["DOMESTIC_VIOLENCE", "STALKING", "CHILD_ABUSE", "ELDER_ABUSE", "OTHER"] as const;
export type TProtectionKind = (typeof PROTECTION_KINDS)[number];

export type TProtectionStaff = { staffId: string; roles: readonly string[] };

type TDb = PrismaClient | Prisma.TransactionClient;

/** Whether the resident is under protection now (an open period). */
export async function isProtectedResident(db: TDb, residentId: string): Promise<boolean> {
  const open = await db.residentProtection.findFirst({
    where: { residentId, liftedAt: null },
    select: { id: true },
  });
  return open !== null;
}

/** Of `residentIds`, those under protection now. */
export async function protectedAmong(db: TDb, residentIds: readonly string[]): Promise<Set<string>> {
  if (residentIds.length === 0) return new Set();
  const rows = await db.residentProtection.findMany({
    where: { residentId: { in: [...residentIds] }, liftedAt: null },
    select: { residentId: true },
  });
  return new Set(rows.map((r) => r.residentId));
}

/** The open period of a resident, for the staff record page (null when none). */
export async function currentProtection(
  db: TDb,
  residentId: string,
): Promise<{ id: string; kind: TProtectionKind; setAt: Date } | null> {
  return db.residentProtection.findFirst({
    where: { residentId, liftedAt: null },
    select: { id: true, kind: true, setAt: true },
  });
}

const ZReason = ZSafeText.pipe(z.string().trim().min(1).max(1000));

export const ZSetProtection = z.strictObject({
  kind: z.enum(PROTECTION_KINDS),
  reason: ZReason,
});
export const ZLiftProtection = z.strictObject({ reason: ZReason });

function hasRole(staff: TProtectionStaff, roles: readonly string[]): boolean {
  return staff.roles.some((r) => roles.includes(r));
}

/**
 * Puts a resident under protection. FORBIDDEN without a registry role, NOT_FOUND for an unknown
 * resident, PROTECTION_ALREADY_SET when a period is open (the database refuses a second one too).
 */
export async function setResidentProtection(
  prisma: PrismaClient,
  o: {
    staff: TProtectionStaff;
    residentId: string;
    input: unknown;
    requestMetadata?: TRequestMetadata;
    now?: Date;
  },
): Promise<{ id: string }> {
  if (!hasRole(o.staff, PROTECTION_SET_ROLES)) throw new AppError("FORBIDDEN");
  const input = ZSetProtection.parse(o.input);
  const now = o.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    const resident = await tx.resident.findUnique({ where: { id: o.residentId }, select: { id: true } });
    if (!resident) throw new AppError("NOT_FOUND");
    if (await isProtectedResident(tx, o.residentId)) throw new AppError("PROTECTION_ALREADY_SET");
    const row = await tx.residentProtection.create({
      data: { residentId: o.residentId, kind: input.kind, reason: input.reason, setById: o.staff.staffId, setAt: now },
      select: { id: true },
    });
    await appendAuditEvent(tx, {
      type: "resident.protection_changed",
      actor: { type: "staff", id: o.staff.staffId },
      subjectResidentId: o.residentId,
      purpose: "支援措置の開始",
      channel: "console",
      requestMetadata: o.requestMetadata,
      data: { protectionId: row.id, protected: true, kind: input.kind, reason: input.reason },
    });
    return row;
  });
}

/** Lifts the open protection period (SUPERVISOR or ADMIN only; PROTECTION_NOT_SET when none is open). */
export async function liftResidentProtection(
  prisma: PrismaClient,
  o: {
    staff: TProtectionStaff;
    residentId: string;
    input: unknown;
    requestMetadata?: TRequestMetadata;
    now?: Date;
  },
): Promise<void> {
  if (!hasRole(o.staff, PROTECTION_LIFT_ROLES)) throw new AppError("FORBIDDEN");
  const input = ZLiftProtection.parse(o.input);
  const now = o.now ?? new Date();
  await prisma.$transaction(async (tx) => {
    const open = await currentProtection(tx, o.residentId);
    if (!open) throw new AppError("PROTECTION_NOT_SET");
    const { count } = await tx.residentProtection.updateMany({
      where: { id: open.id, liftedAt: null },
      data: { liftedAt: now, liftedById: o.staff.staffId, liftReason: input.reason },
    });
    if (count !== 1) throw new AppError("PROTECTION_NOT_SET");
    await appendAuditEvent(tx, {
      type: "resident.protection_changed",
      actor: { type: "staff", id: o.staff.staffId },
      subjectResidentId: o.residentId,
      purpose: "支援措置の終了",
      channel: "console",
      requestMetadata: o.requestMetadata,
      data: { protectionId: open.id, protected: false, reason: input.reason },
    });
  });
}
