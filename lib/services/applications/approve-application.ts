import { randomUUID } from "node:crypto";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { TRequestMetadata } from "@/lib/audit/schemas";
import type { Prisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { signCms } from "@/lib/jpki";
import { canonicalJsonBytes } from "@/lib/mailbox/canonical-json";
import { deliverDocument } from "@/lib/mailbox/deliver-document";
import { createLog, errorFields } from "@/lib/log/logger";
import { nowOf, type TApplicationsContext } from "./applications-context";
import { applicationSelect, toApplicationSummaryDto } from "./dto";
import { checkDraftAgainstRegistry, draftOf } from "./prepare-application";
import { buildResidenceCertificate } from "./residence-certificate";
import { assertReviewer, type TReviewer } from "./review-applications";
import type { TApplicationContent, TApplicationSummaryDto, TMoveForm } from "./schemas";

/** Options of {@link approveApplication}. */
export type TApproveApplicationOptions = {
  staff: TReviewer;
  applicationId: string;
  requestMetadata?: TRequestMetadata;
};

/** The approved application, and what is still owed when fulfilment could not finish. */
export type TApproveResult = TApplicationSummaryDto & {
  /** Set when the approval stands but its fulfilment failed (approve again to finish it). */
  pending?: { code: string };
};

const log = createLog("services/applications");

/**
 * Staff approve a submitted application. In one transaction: the decision, for a move the
 * registry change (each mover's address, postal code and district; the household's address, or a
 * new household when only some of its members move) with `resident.record_updated` events, and
 * the `application.approved` event. Then its fulfilment, which leaves the database:
 *
 * - a move: J-LIS is told of each mover's new address (`reportRegistryChange`), so it revokes
 *   their signing certificates `affiliationChanged` and links the successor; partners watching
 *   them learn it on their next change check;
 * - a 住民票の写し: built from the subject's registry record now, signed by the town, delivered to
 *   the applicant's mailbox through the ordinary delivery path.
 *
 * `fulfilledAt` records that it finished; if it did not (J-LIS unreachable, the town signer
 * missing) the approval stands, the answer says what is pending, and approving again finishes it
 * (the J-LIS report and the delivery are both idempotent). Approving a fulfilled application, or
 * one that was returned, is APPLICATION_ALREADY_DECIDED.
 */
export async function approveApplication(
  ctx: TApplicationsContext,
  o: TApproveApplicationOptions,
): Promise<TApproveResult> {
  assertReviewer(o.staff);
  const now = nowOf(ctx);
  const current = await ctx.prisma.serviceApplication.findUnique({
    where: { id: o.applicationId },
    select: { ...applicationSelect, residentId: true },
  });
  if (!current) throw new AppError("NOT_FOUND");
  if (current.status === "RETURNED" || (current.status === "APPROVED" && current.fulfilledAt)) {
    throw new AppError("APPLICATION_ALREADY_DECIDED");
  }
  const content = current.content as TApplicationContent;
  if (current.status === "SUBMITTED") {
    await ctx.prisma.$transaction(async (tx) => {
      const { count } = await tx.serviceApplication.updateMany({
        where: { id: current.id, status: "SUBMITTED", revision: current.revision },
        data: { status: "APPROVED", decidedById: o.staff.staffId, decidedAt: now, returnReason: null },
      });
      if (count !== 1) throw new AppError("APPLICATION_ALREADY_DECIDED");
      // The registry may have changed since submission: the people must still be in the household.
      await checkDraftAgainstRegistry(tx, current.residentId, draftOf(content));
      const changed = content.kind === "move" ? await applyMove(tx, current.residentId, content.form) : [];
      for (const residentId of changed) {
        await appendAuditEvent(tx, {
          type: "resident.record_updated",
          actor: { type: "staff", id: o.staff.staffId },
          subjectResidentId: residentId,
          channel: "console",
          requestMetadata: o.requestMetadata,
          purpose: "転居届の受理",
          data: { applicationId: current.id, fields: ["address", "postalCode", "district", "household"] },
        });
      }
      await appendAuditEvent(tx, {
        type: "application.approved",
        actor: { type: "staff", id: o.staff.staffId },
        subjectResidentId: current.residentId,
        channel: "console",
        requestMetadata: o.requestMetadata,
        purpose: content.kind === "move" ? "転居届の受理" : "住民票の写しの交付",
        data: { applicationId: current.id, kind: content.kind, revision: current.revision },
      });
    });
  }
  let pending: { code: string } | undefined;
  try {
    const resultDocumentId = await fulfil(ctx, current.id, current.revision, current.residentId, content, now);
    await ctx.prisma.serviceApplication.update({
      where: { id: current.id },
      data: { fulfilledAt: nowOf(ctx), ...(resultDocumentId ? { resultDocumentId } : {}) },
    });
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    log.warn(
      { code: err.code, applicationId: current.id, ...errorFields(err) },
      "application approved, fulfilment pending",
    );
    pending = { code: err.code };
  }
  const row = await ctx.prisma.serviceApplication.findUniqueOrThrow({
    where: { id: current.id },
    select: applicationSelect,
  });
  return { ...toApplicationSummaryDto(row), ...(pending ? { pending } : {}) };
}

/**
 * The registry side of a move (inside the approval's transaction): the movers get the new
 * address, postal code and district. When the whole household moves, the household moves with
 * them; when only some of it moves, they form a new household at the new address, headed by the
 * applicant if they move (else the first mover). Returns the ids of the changed records.
 */
async function applyMove(tx: Prisma.TransactionClient, applicantId: string, form: TMoveForm): Promise<string[]> {
  const district = await tx.district.findUniqueOrThrow({ where: { code: form.districtCode }, select: { id: true } });
  const applicant = await tx.resident.findUniqueOrThrow({ where: { id: applicantId }, select: { householdId: true } });
  const members = await tx.resident.findMany({
    where: { householdId: applicant.householdId, leftAt: null },
    select: { id: true, registryNumber: true },
  });
  const movers = members.filter((m) => form.movers.includes(m.registryNumber));
  const place = { address: form.newAddress, postalCode: form.postalCode, districtId: district.id };
  if (movers.length === members.length) {
    await tx.household.update({
      where: { id: applicant.householdId },
      data: { address: form.newAddress, districtId: district.id },
    });
    await tx.resident.updateMany({ where: { id: { in: movers.map((m) => m.id) } }, data: place });
    return movers.map((m) => m.id);
  }
  const household = await tx.household.create({
    data: {
      code: `${form.districtCode}-M${randomUUID().slice(0, 8).toUpperCase()}`,
      districtId: district.id,
      address: form.newAddress,
    },
    select: { id: true },
  });
  const head = movers.find((m) => m.id === applicantId) ?? movers[0]!;
  await tx.resident.updateMany({
    where: { id: { in: movers.map((m) => m.id) } },
    data: { ...place, householdId: household.id },
  });
  await tx.resident.update({ where: { id: head.id }, data: { householdRelation: "世帯主" } });
  return movers.map((m) => m.id);
}

/** What approval sets off outside the transaction; returns the delivered document's id, if any. */
async function fulfil(
  ctx: TApplicationsContext,
  applicationId: string,
  revision: number,
  applicantId: string,
  content: TApplicationContent,
  now: Date,
): Promise<string | undefined> {
  if (content.kind === "move") {
    const movers = await ctx.prisma.resident.findMany({
      where: { registryNumber: { in: content.form.movers } },
      select: { registryNumber: true, address: true },
    });
    for (const m of movers) {
      // The registry's address now (the approval wrote it), the fact J-LIS must carry.
      await ctx.jlis.reportRegistryChange({ residentRef: m.registryNumber, facts: { address: m.address } });
    }
    return undefined;
  }
  const signer = await ctx.townSigner();
  const town = await ctx.prisma.partner.findUnique({ where: { slug: signer.partnerSlug }, select: { id: true } });
  if (!town) throw new AppError("TOWN_SIGNER_UNAVAILABLE", { message: "The town's partner record is missing." });
  const idempotencyKey = `application-${applicationId}-r${revision}`;
  // A retry after a delivery that went through but was not recorded: the delivery's own record answers.
  const done = await ctx.prisma.deliveryRequest.findUnique({
    where: { partnerId_idempotencyKey: { partnerId: town.id, idempotencyKey } },
    select: { documentId: true },
  });
  if (done?.documentId) return done.documentId;
  const subject = await ctx.prisma.resident.findUniqueOrThrow({
    where: { registryNumber: content.form.subject },
    select: { id: true },
  });
  const applicant = await ctx.prisma.resident.findUniqueOrThrow({
    where: { id: applicantId },
    select: { registryNumber: true },
  });
  const payload = await buildResidenceCertificate(ctx.prisma, {
    residentId: subject.id,
    scope: content.form.scope,
    municipality: signer.municipality,
    certificateNumber: `R-${applicationId.slice(0, 8).toUpperCase()}`,
    issuedOn: now,
    remarks: `${content.form.copies}通　請求の目的：${content.form.purpose}　個人番号の記載なし`,
  });
  const signature = await signCms({
    content: canonicalJsonBytes(payload),
    signerCertificate: signer.certificate,
    privateKey: signer.privateKey,
    detached: true,
    signingTime: now,
  });
  const result = await deliverDocument(ctx.prisma, {
    partnerId: town.id,
    idempotencyKey,
    trustAnchors: await ctx.issuerTrustAnchors(),
    issuerCrls: ctx.issuerCrls ? await ctx.issuerCrls() : undefined,
    request: {
      type: "residence-certificate",
      recipient: { registryNumber: applicant.registryNumber },
      payload,
      signature: Buffer.from(signature).toString("base64"),
    },
  });
  return result.receipt.id;
}
