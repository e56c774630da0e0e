import { registryFactsOf } from "./registry-facts";
import { z } from "zod";
import { appendAuditEvent, appendAuditEvents } from "@/lib/audit/append-audit-event";
import type { TRequestMetadata } from "@/lib/audit/schemas";
import { normalizeFact } from "@/lib/auth/bind-card-certificate";
import type { PrismaClient } from "@/lib/db/client";
import { AppError, validationFailed } from "@/lib/errors/app-error";
import { ZSafeText } from "@/lib/http/safe-text";
import { applicationSelect, STATUS_OF, toApplicationSummaryDto } from "./dto";
import type { TApplicationSummaryDto, TApplicationVerification, TFourFactsDto } from "./schemas";

/** Staff roles that review applications (lib checks them again, whatever the page did). */
export const REVIEWER_ROLES = ["CLERK", "SUPERVISOR", "ADMIN"] as const;

/** The reviewing staff member as the use cases take it. */
export type TReviewer = { staffId: string; roles: readonly string[] };

export function assertReviewer(staff: TReviewer): void {
  if (!staff.roles.some((r) => (REVIEWER_ROLES as readonly string[]).includes(r))) throw new AppError("FORBIDDEN");
}

/** One row of the staff queue. */
export type TQueueItemDto = {
  id: string;
  kind: TApplicationSummaryDto["kind"];
  status: TApplicationSummaryDto["status"];
  revision: number;
  submittedAt: string;
  applicantName: string;
  fulfilled: boolean;
};

const ZQueueFilter = z.enum(["open", "returned", "approved", "all"]).default("open");

/**
 * The review queue, oldest first (open = submitted, and approved ones still owing their
 * fulfilment). Each resident shown gets a `staff.access` event: the list shows names and what
 * they applied for.
 */
export async function listApplicationQueue(
  db: PrismaClient,
  o: { staff: TReviewer; filter?: unknown; requestMetadata?: TRequestMetadata },
): Promise<TQueueItemDto[]> {
  assertReviewer(o.staff);
  const filter = ZQueueFilter.catch("open").parse(o.filter);
  const where =
    filter === "open"
      ? { OR: [{ status: "SUBMITTED" as const }, { status: "APPROVED" as const, fulfilledAt: null }] }
      : filter === "returned"
        ? { status: "RETURNED" as const }
        : filter === "approved"
          ? { status: "APPROVED" as const }
          : {};
  return db.$transaction(async (tx) => {
    const rows = await tx.serviceApplication.findMany({
      where,
      orderBy: [{ submittedAt: "asc" }, { id: "asc" }],
      take: 200,
      select: {
        id: true,
        kind: true,
        status: true,
        revision: true,
        submittedAt: true,
        fulfilledAt: true,
        residentId: true,
        resident: { select: { familyName: true, givenName: true } },
      },
    });
    await appendAuditEvents(
      tx,
      [...new Set(rows.map((r) => r.residentId))].map((residentId) => ({
        type: "staff.access" as const,
        actor: { type: "staff" as const, id: o.staff.staffId },
        subjectResidentId: residentId,
        channel: "console" as const,
        requestMetadata: o.requestMetadata,
        purpose: "申請の審査（一覧）",
        data: { operation: "application_queue" },
      })),
    );
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind === "MOVE" ? ("move" as const) : ("residence-certificate" as const),
      status: STATUS_OF[r.status],
      revision: r.revision,
      submittedAt: r.submittedAt.toISOString(),
      applicantName: `${r.resident.familyName} ${r.resident.givenName}`,
      fulfilled: r.status === "APPROVED" && r.fulfilledAt !== null,
    }));
  });
}

/** One fact of the certificate next to the registry's, and whether they differ. */
export type TFactComparison = { field: keyof TFourFactsDto; certificate: string; registry: string; differs: boolean };

/** An application as a reviewer opens it. */
export type TReviewDto = TApplicationSummaryDto & {
  applicant: { name: string; registryNumber: string };
  verification: TApplicationVerification;
  /** The signing certificate's four facts against the registry record now. */
  facts: TFactComparison[];
  /** The names of the household members the content names, as the registry has them now. */
  people: { registryNumber: string; name: string; inHousehold: boolean }[];
};

/** Opens one application for review: audited as `staff.access` on the applicant. NOT_FOUND. */
export async function getApplicationForReview(
  db: PrismaClient,
  o: { staff: TReviewer; applicationId: string; requestMetadata?: TRequestMetadata },
): Promise<TReviewDto> {
  assertReviewer(o.staff);
  const id = z.uuid().safeParse(o.applicationId);
  if (!id.success) throw new AppError("NOT_FOUND");
  return db.$transaction(async (tx) => {
    const row = await tx.serviceApplication.findUnique({
      where: { id: id.data },
      select: {
        ...applicationSelect,
        verification: true,
        resident: {
          select: {
            id: true,
            registryNumber: true,
            familyName: true,
            givenName: true,
            address: true,
            dateOfBirth: true,
            gender: true,
            householdId: true,
          },
        },
      },
    });
    if (!row) throw new AppError("NOT_FOUND");
    const r = row.resident;
    const verification = row.verification as unknown as TApplicationVerification;
    const registry = registryFactsOf(r);
    const facts = (["name", "address", "dateOfBirth", "gender"] as const).map((field) => ({
      field,
      certificate: verification.facts[field],
      registry: registry[field],
      differs: normalizeFact(verification.facts[field]) !== normalizeFact(registry[field]),
    }));
    const dto = toApplicationSummaryDto(row);
    const named = dto.content.kind === "move" ? dto.content.form.movers : [dto.content.form.subject];
    const found = await tx.resident.findMany({
      where: { registryNumber: { in: named } },
      select: { registryNumber: true, familyName: true, givenName: true, householdId: true, leftAt: true },
    });
    const people = named.map((n) => {
      const p = found.find((f) => f.registryNumber === n);
      return {
        registryNumber: n,
        name: p ? `${p.familyName} ${p.givenName}` : "",
        inHousehold: !!p && !p.leftAt && p.householdId === r.householdId,
      };
    });
    await appendAuditEvent(tx, {
      type: "staff.access",
      actor: { type: "staff", id: o.staff.staffId },
      subjectResidentId: r.id,
      channel: "console",
      requestMetadata: o.requestMetadata,
      purpose: "申請の審査",
      data: { operation: "application_review", applicationId: row.id, kind: dto.kind },
    });
    return {
      ...dto,
      applicant: { name: `${r.familyName} ${r.givenName}`, registryNumber: r.registryNumber },
      verification,
      facts,
      people,
    };
  });
}

export const ZReturnReason = ZSafeText.pipe(z.string().trim().min(1).max(1000));

/**
 * Returns a submitted application to the resident with a reason (they may correct and sign it
 * again). Conditional on its state: APPLICATION_ALREADY_DECIDED if it is not submitted.
 */
export async function returnApplication(
  db: PrismaClient,
  o: { staff: TReviewer; applicationId: string; reason: unknown; requestMetadata?: TRequestMetadata; now?: Date },
): Promise<TApplicationSummaryDto> {
  assertReviewer(o.staff);
  const parsedReason = ZReturnReason.safeParse(o.reason);
  if (!parsedReason.success) throw validationFailed(parsedReason.error, { prefix: ["reason"] });
  const reason = parsedReason.data;
  const now = o.now ?? new Date();
  return db.$transaction(async (tx) => {
    const { count } = await tx.serviceApplication.updateMany({
      where: { id: o.applicationId, status: "SUBMITTED" },
      data: { status: "RETURNED", returnReason: reason, decidedById: o.staff.staffId, decidedAt: now },
    });
    const row = await tx.serviceApplication.findUnique({
      where: { id: o.applicationId },
      select: { ...applicationSelect, residentId: true },
    });
    if (!row) throw new AppError("NOT_FOUND");
    if (count !== 1) throw new AppError("APPLICATION_ALREADY_DECIDED");
    await appendAuditEvent(tx, {
      type: "application.returned",
      actor: { type: "staff", id: o.staff.staffId },
      subjectResidentId: row.residentId,
      channel: "console",
      requestMetadata: o.requestMetadata,
      purpose: "申請の差し戻し",
      data: { applicationId: row.id, revision: row.revision, reason },
    });
    return toApplicationSummaryDto(row);
  });
}
