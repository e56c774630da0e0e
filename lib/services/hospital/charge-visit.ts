import { appendAuditEvent } from "../../audit/append-audit-event";
import type { TRequestMetadata } from "../../audit/schemas";
import { assertModeReachesResident, type TCredentialMode } from "../../credential-mode/credential-mode";
import type { PrismaClient } from "../../db/client";
import { AppError } from "../../errors/app-error";
import type { TPaymentProcessor } from "../payment/payment-processor";
import type { THospitalVisitPaymentDto } from "./schemas";

export type ChargeVisitOptions = {
  hospital: { partnerId: string; mode: TCredentialMode; credentialId?: string };
  visitId: string;
  processor: TPaymentProcessor;
  requestMetadata?: TRequestMetadata;
  now?: Date;
};

type TPaymentRow = {
  visitId: string;
  amountYen: number;
  chargeId: string | null;
  paidAt: Date;
  paymentMethod: { brand: string; last4: string } | null;
};

const PAYMENT_SELECT = {
  visitId: true,
  amountYen: true,
  chargeId: true,
  paidAt: true,
  paymentMethod: { select: { brand: true, last4: true } },
} as const;

export function visitPaymentDto(row: TPaymentRow): THospitalVisitPaymentDto {
  return {
    object: "hospital_visit_payment",
    visitId: row.visitId,
    status: "paid",
    amountYen: row.amountYen,
    ...(row.chargeId ? { chargeId: row.chargeId } : {}),
    ...(row.paymentMethod ? { paymentMethod: row.paymentMethod } : {}),
    paidAt: row.paidAt.toISOString(),
  };
}

/**
 * 会計: charges a recorded visit's total (copay + 保険外負担) to the patient's linked payment
 * method, through the processor with the visit id as the idempotency key — so a retry, or two
 * concurrent calls, charge once and record one payment. A paid visit answers its payment
 * (`charged: false`). Refusals leave the visit unpaid and payable later: VISIT_NOT_RECORDED,
 * PAYMENT_METHOD_MISSING (no linked method), PAYMENT_DECLINED (the processor said no),
 * PAYMENT_UNAVAILABLE (the processor could not be reached; nothing recorded as paid). Another
 * hospital's visit is NOT_FOUND; a credential of the other mode CREDENTIAL_MODE_MISMATCH.
 */
export async function chargeVisit(
  prisma: PrismaClient,
  o: ChargeVisitOptions,
): Promise<{ payment: THospitalVisitPaymentDto; charged: boolean }> {
  const now = o.now ?? new Date();
  const visit = await prisma.hospitalVisit.findFirst({
    where: { id: o.visitId, hospitalId: o.hospital.partnerId },
    select: {
      id: true,
      status: true,
      totalYen: true,
      residentId: true,
      resident: { select: { sandbox: true } },
      payment: { select: PAYMENT_SELECT },
    },
  });
  if (!visit) throw new AppError("NOT_FOUND", { message: "No such visit at your hospital." });
  assertModeReachesResident(o.hospital.mode, visit.resident);
  if (visit.payment) return { payment: visitPaymentDto(visit.payment), charged: false };
  if (visit.status !== "RECORDED" || visit.totalYen === null) throw new AppError("VISIT_NOT_RECORDED");

  const method = await prisma.paymentMethod.findFirst({
    where: { residentId: visit.residentId, unlinkedAt: null },
    orderBy: { linkedAt: "desc" },
    select: { id: true, token: true },
  });
  if (!method) throw new AppError("PAYMENT_METHOD_MISSING");

  let chargeId: string | null = null;
  if (visit.totalYen > 0) {
    // The processor keeps the charge under the visit id: a retry or a racing call gets the same charge back.
    const result = await o.processor.charge({
      token: method.token,
      amountYen: visit.totalYen,
      idempotencyKey: visit.id,
    });
    if (result.status === "declined") {
      throw new AppError("PAYMENT_DECLINED", { details: { reason: result.reason } });
    }
    chargeId = result.chargeId;
  }

  return prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "HospitalVisit" WHERE id = ${visit.id}::uuid FOR UPDATE`;
    const paid = await tx.hospitalVisitPayment.findUnique({ where: { visitId: visit.id }, select: PAYMENT_SELECT });
    // A concurrent call recorded the same charge first.
    if (paid) return { payment: visitPaymentDto(paid), charged: false };
    const row = await tx.hospitalVisitPayment.create({
      data: { visitId: visit.id, paymentMethodId: method.id, amountYen: visit.totalYen ?? 0, chargeId, paidAt: now },
      select: PAYMENT_SELECT,
    });
    await appendAuditEvent(tx, {
      type: "partner.api_access",
      actor: { type: "partner", id: o.hospital.partnerId },
      subjectResidentId: visit.residentId,
      purpose: "会計",
      channel: "api",
      requestMetadata: o.requestMetadata,
      data: {
        operation: "hospital_visit_charged",
        visitId: visit.id,
        amountYen: row.amountYen,
        ...(o.hospital.credentialId ? { credentialId: o.hospital.credentialId } : {}),
      },
    });
    return { payment: visitPaymentDto(row), charged: true };
  });
}
