import { z } from "zod";
import { appendAuditEvent } from "../audit/append-audit-event";
import type { TRequestMetadata } from "../audit/schemas";
import type { PrismaClient } from "../db/client";
import { AppError } from "../errors/app-error";
import { ZSafeText } from "../http/safe-text";
import {
  canMoveTo,
  REPORT_TRIAGE_ROLES,
  type TReportCategory,
  type TReportStatus,
  ZReportCategory,
  ZReportStatus,
} from "./categories";

export type TStaffActor = { staffId: string; roles: readonly string[] };

function assertTriageRole(staff: TStaffActor) {
  if (!staff.roles.some((r) => (REPORT_TRIAGE_ROLES as readonly string[]).includes(r))) throw new AppError("FORBIDDEN");
}

export type TStaffReportRow = {
  id: string;
  category: TReportCategory;
  description: string;
  latitude: number;
  longitude: number;
  districtCode: string;
  status: TReportStatus;
  publicNote: string | null;
  department: string | null;
  assignee: { id: string; name: string } | null;
  hasPhoto: boolean;
  fromResident: boolean;
  weight: number;
  roadSegment: { id: string; code: string; closed: boolean } | null;
  createdAt: Date;
};

export const ZReportFilter = z.object({
  status: ZReportStatus.optional(),
  category: ZReportCategory.optional(),
});

/** The staff list (newest first, at most `take`), optionally by status and category. */
export async function listReportsForStaff(
  prisma: PrismaClient,
  o: { staff: TStaffActor; filter?: z.input<typeof ZReportFilter>; take?: number },
): Promise<TStaffReportRow[]> {
  assertTriageRole(o.staff);
  const filter = ZReportFilter.parse(o.filter ?? {});
  const rows = await prisma.report.findMany({
    where: {
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.category ? { category: filter.category } : {}),
    },
    orderBy: { createdAt: "desc" },
    take: o.take ?? 200,
    select: {
      id: true,
      category: true,
      description: true,
      latitude: true,
      longitude: true,
      status: true,
      publicNote: true,
      department: true,
      weight: true,
      reporterResidentId: true,
      createdAt: true,
      district: { select: { code: true } },
      assignee: { select: { id: true, resident: { select: { familyName: true, givenName: true } } } },
      photo: { select: { reportId: true } },
      roadSegment: { select: { id: true, code: true, closed: true } },
    },
  });
  return rows.map((r) => ({
    id: r.id,
    category: r.category,
    description: r.description,
    latitude: r.latitude,
    longitude: r.longitude,
    districtCode: r.district.code,
    status: r.status,
    publicNote: r.publicNote,
    department: r.department,
    assignee: r.assignee
      ? { id: r.assignee.id, name: `${r.assignee.resident.familyName} ${r.assignee.resident.givenName}` }
      : null,
    hasPhoto: r.photo !== null,
    fromResident: r.reporterResidentId !== null,
    weight: r.weight,
    roadSegment: r.roadSegment,
    createdAt: r.createdAt,
  }));
}

/** Staff who can be assigned a report (active, with a triage role). */
export async function listReportAssignees(
  prisma: PrismaClient,
): Promise<{ id: string; name: string; department: string }[]> {
  const staff = await prisma.staffMember.findMany({
    where: { active: true, roles: { hasSome: [...REPORT_TRIAGE_ROLES] } },
    select: { id: true, department: true, resident: { select: { familyName: true, givenName: true } } },
    orderBy: { employeeNumber: "asc" },
  });
  return staff.map((s) => ({
    id: s.id,
    department: s.department,
    name: `${s.resident.familyName} ${s.resident.givenName}`,
  }));
}

export const ZTriageInput = z.strictObject({
  reportId: z.uuid(),
  /** The next status, or unchanged when absent. */
  status: ZReportStatus.optional(),
  /** The note the reporter sees (and Open311's status_notes). */
  publicNote: ZSafeText.pipe(z.string().trim().max(1000)).optional(),
  department: ZSafeText.pipe(z.string().trim().max(100)).optional(),
  assigneeStaffId: z.union([z.uuid(), z.literal("")]).optional(),
});

/**
 * Staff assign a report (department, staff member) and move its status along open → acknowledged →
 * in progress → closed (REPORT_STATUS_TRANSITION_INVALID otherwise), with a public note the
 * reporter sees. One transaction with its status event and the `report.triaged` audit event.
 */
export async function triageReport(
  prisma: PrismaClient,
  o: { staff: TStaffActor; input: z.input<typeof ZTriageInput>; requestMetadata?: TRequestMetadata; now?: Date },
): Promise<{ status: TReportStatus }> {
  assertTriageRole(o.staff);
  const input = ZTriageInput.parse(o.input);
  const now = o.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    const [report] = await tx.$queryRaw<{ id: string; status: TReportStatus; reporterResidentId: string | null }[]>`
      SELECT "id", "status"::text AS "status", "reporterResidentId" FROM "Report" WHERE "id" = ${input.reportId}::uuid FOR UPDATE`;
    if (!report) throw new AppError("REPORT_NOT_FOUND");
    const next = input.status && input.status !== report.status ? input.status : null;
    if (next && !canMoveTo(report.status, next)) {
      throw new AppError("REPORT_STATUS_TRANSITION_INVALID", { details: { from: report.status, to: next } });
    }
    if (input.assigneeStaffId) {
      const assignee = await tx.staffMember.findUnique({
        where: { id: input.assigneeStaffId },
        select: { active: true },
      });
      if (!assignee?.active) throw new AppError("VALIDATION_FAILED", { message: "No such active staff member." });
    }
    const note = input.publicNote === undefined ? undefined : input.publicNote || null;
    await tx.report.update({
      where: { id: report.id },
      data: {
        ...(next ? { status: next } : {}),
        ...(note !== undefined ? { publicNote: note } : {}),
        ...(input.department !== undefined ? { department: input.department || null } : {}),
        ...(input.assigneeStaffId !== undefined ? { assigneeStaffId: input.assigneeStaffId || null } : {}),
        updatedAt: now,
      },
    });
    if (next || note !== undefined) {
      await tx.reportStatusEvent.create({
        data: {
          reportId: report.id,
          status: next ?? report.status,
          note: note ?? null,
          staffId: o.staff.staffId,
          at: now,
        },
      });
    }
    await appendAuditEvent(tx, {
      type: "report.triaged",
      actor: { type: "staff", id: o.staff.staffId },
      ...(report.reporterResidentId ? { subjectResidentId: report.reporterResidentId } : {}),
      channel: "console",
      requestMetadata: o.requestMetadata,
      data: {
        reportId: report.id,
        from: report.status,
        to: next ?? report.status,
        assigned: input.assigneeStaffId ?? null,
        department: input.department ?? null,
      },
    });
    return { status: next ?? report.status };
  });
}
