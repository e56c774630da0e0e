import { appendAuditEvent } from "../../audit/append-audit-event";
import type { TRequestMetadata } from "../../audit/schemas";
import { assertModeReachesResident, type TCredentialMode } from "../../credential-mode/credential-mode";
import type { PrismaClient } from "../../db/client";
import { AppError } from "../../errors/app-error";
import { canonicalJsonBytes } from "../../mailbox/canonical-json";
import type { TMedication } from "../../mailbox/document-types/medication-list";
import { type THospitalVisitDto, ZRecordVisitRequest } from "./schemas";

/** 1 point of the national fee schedule (診療報酬点数表) is 10 yen. */
export const YEN_PER_POINT = 10;

/**
 * The patient's share of the insured care (一部負担金): points × 10 yen × the copay ratio,
 * rounded to 10 yen (10円未満四捨五入, 健康保険法 第75条); without a confirmed insurance
 * (`tenths` null) the patient pays the whole insured amount (10割).
 */
export function copayYenOf(points: number, tenths: number | null): number {
  const insured = points * YEN_PER_POINT;
  if (tenths === null) return insured;
  // insured × tenths / 10, rounded half up to a multiple of 10 (integers only until the last step).
  return Math.floor((insured * tenths + 50) / 100) * 10;
}

export const VISIT_SELECT = {
  id: true,
  patientRef: true,
  terminalLabel: true,
  receivedAt: true,
  insuranceStatus: true,
  copayTenths: true,
  status: true,
  department: true,
  points: true,
  uninsuredYen: true,
  copayYen: true,
  totalYen: true,
  medications: true,
  recordedAt: true,
  payment: { select: { paidAt: true } },
} as const;

type TVisitRow = {
  id: string;
  patientRef: string;
  terminalLabel: string;
  receivedAt: Date;
  insuranceStatus: string;
  copayTenths: number | null;
  status: "RECEIVED" | "RECORDED";
  department: string | null;
  points: number | null;
  uninsuredYen: number | null;
  copayYen: number | null;
  totalYen: number | null;
  medications: unknown;
  recordedAt: Date | null;
  payment?: { paidAt: Date } | null;
};

export function hospitalVisitDto(row: TVisitRow): THospitalVisitDto {
  const recorded =
    row.status === "RECORDED" && row.points !== null && row.department !== null
      ? {
          department: row.department,
          points: row.points,
          insuredYen: row.points * YEN_PER_POINT,
          copayYen: row.copayYen ?? 0,
          uninsuredYen: row.uninsuredYen ?? 0,
          totalYen: row.totalYen ?? 0,
          medications: (row.medications ?? []) as TMedication[],
          recordedAt: (row.recordedAt ?? row.receivedAt).toISOString(),
        }
      : {};
  return {
    object: "hospital_visit",
    id: row.id,
    patientReference: row.patientRef,
    terminal: row.terminalLabel,
    receivedAt: row.receivedAt.toISOString(),
    insurance: {
      status: row.insuranceStatus as "eligible" | "lapsed" | "unknown",
      ...(row.copayTenths !== null ? { copayRatio: row.copayTenths } : {}),
    },
    status: row.status === "RECORDED" ? "recorded" : "received",
    ...recorded,
    ...(row.payment ? { paidAt: row.payment.paidAt.toISOString() } : {}),
  };
}

export type RecordVisitOptions = {
  hospital: { partnerId: string; mode: TCredentialMode; credentialId?: string };
  visitId: string;
  request: unknown;
  requestMetadata?: TRequestMetadata;
  now?: Date;
};

/**
 * The hospital records the care of a visit opened at its reception kiosk: department, 保険点数,
 * 保険外負担 and the drugs prescribed. The copay follows from the insurer's answer at reception
 * (copayYenOf); a visit is recorded once — the same record again answers the stored visit
 * (a retry), a different one VISIT_ALREADY_RECORDED. Another hospital's visit is NOT_FOUND; a
 * credential of the other mode than the patient CREDENTIAL_MODE_MISMATCH. In one transaction with
 * the resident's access-log entry.
 */
export async function recordVisit(
  prisma: PrismaClient,
  o: RecordVisitOptions,
): Promise<{ visit: THospitalVisitDto; recorded: boolean }> {
  const input = ZRecordVisitRequest.parse(o.request);
  const now = o.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    // Lock the visit: two concurrent records cannot both win.
    const locked = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM "HospitalVisit" WHERE id = ${o.visitId}::uuid AND "hospitalId" = ${o.hospital.partnerId}::uuid FOR UPDATE`;
    if (locked.length === 0) throw new AppError("NOT_FOUND", { message: "No such visit at your hospital." });
    const visit = await tx.hospitalVisit.findUniqueOrThrow({
      where: { id: o.visitId },
      select: { ...VISIT_SELECT, residentId: true, resident: { select: { sandbox: true } } },
    });
    assertModeReachesResident(o.hospital.mode, visit.resident);
    const copayYen = copayYenOf(input.points, visit.copayTenths);
    const record = {
      department: input.department,
      points: input.points,
      uninsuredYen: input.uninsuredYen,
      copayYen,
      totalYen: copayYen + input.uninsuredYen,
      medications: input.medications,
    };
    if (visit.status === "RECORDED") {
      const same =
        visit.department === record.department &&
        visit.points === record.points &&
        visit.uninsuredYen === record.uninsuredYen &&
        // jsonb keeps no key order: compare canonical forms.
        Buffer.from(canonicalJsonBytes(visit.medications)).equals(Buffer.from(canonicalJsonBytes(record.medications)));
      if (!same) throw new AppError("VISIT_ALREADY_RECORDED");
      return { visit: hospitalVisitDto(visit), recorded: false };
    }
    const row = await tx.hospitalVisit.update({
      where: { id: visit.id },
      data: { ...record, status: "RECORDED", recordedAt: now },
      select: VISIT_SELECT,
    });
    await appendAuditEvent(tx, {
      type: "partner.api_access",
      actor: { type: "partner", id: o.hospital.partnerId },
      subjectResidentId: visit.residentId,
      purpose: "診療記録",
      channel: "api",
      requestMetadata: o.requestMetadata,
      data: {
        operation: "hospital_visit_recorded",
        visitId: visit.id,
        ...(o.hospital.credentialId ? { credentialId: o.hospital.credentialId } : {}),
      },
    });
    return { visit: hospitalVisitDto(row), recorded: true };
  });
}
