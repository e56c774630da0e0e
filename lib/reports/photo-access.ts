import { z } from "zod";
import { appendAuditEvent } from "../audit/append-audit-event";
import type { TRequestMetadata } from "../audit/schemas";
import { sha256Hex } from "../crypto/sha256";
import type { PrismaClient } from "../db/client";
import { AppError } from "../errors/app-error";
import { REPORT_TRIAGE_ROLES } from "./categories";

/** Who asks for a photo: staff with a triage role, the reporting resident, or the visitor's tracking token. */
export type TPhotoViewer =
  | { type: "staff"; staffId: string; roles: readonly string[] }
  | { type: "resident"; residentId: string }
  | { type: "token"; token: string };

/**
 * A report's photo for staff or its reporter only; anyone else — and a report without a photo —
 * gets REPORT_NOT_FOUND, so ids cannot be probed. Staff reads are audited (`report.photo_read`).
 */
export async function readReportPhoto(
  prisma: PrismaClient,
  o: { reportId: string; viewer: TPhotoViewer; requestMetadata?: TRequestMetadata },
): Promise<{ bytes: Uint8Array<ArrayBuffer>; contentType: string }> {
  if (!z.uuid().safeParse(o.reportId).success) throw new AppError("REPORT_NOT_FOUND");
  const report = await prisma.report.findUnique({
    where: { id: o.reportId },
    select: {
      id: true,
      reporterResidentId: true,
      trackingTokenHash: true,
      photo: { select: { bytes: true, contentType: true } },
    },
  });
  const v = o.viewer;
  const allowed =
    report !== null &&
    (v.type === "staff"
      ? v.roles.some((r) => (REPORT_TRIAGE_ROLES as readonly string[]).includes(r))
      : v.type === "resident"
        ? report.reporterResidentId === v.residentId
        : report.trackingTokenHash !== null && report.trackingTokenHash === sha256Hex(v.token));
  if (!report?.photo || !allowed) throw new AppError("REPORT_NOT_FOUND");
  if (v.type === "staff") {
    await prisma.$transaction((tx) =>
      appendAuditEvent(tx, {
        type: "report.photo_read",
        actor: { type: "staff", id: v.staffId },
        ...(report.reporterResidentId ? { subjectResidentId: report.reporterResidentId } : {}),
        channel: "console",
        requestMetadata: o.requestMetadata,
        data: { reportId: report.id },
      }),
    );
  }
  return { bytes: Uint8Array.from(report.photo.bytes), contentType: report.photo.contentType };
}
