import { appendAuditEvent } from "../../audit/append-audit-event";
import type { TRequestMetadata } from "../../audit/schemas";
import { AppError } from "../../errors/app-error";
import { findLinkForPurpose } from "../../mailbox/link-purposes";
import { TERMINAL_CHALLENGE_PURPOSE } from "../../platform/eligibility/issue-terminal-challenge";
import { verifyTerminalCardTap } from "../../platform/eligibility/verify-terminal-card";
import type { TPlatformContext } from "../../platform/platform-context";
import { ZCreateEligibilityCheckRequest } from "../../platform/schemas";
import type { TTerminalDevice } from "../../platform/terminals/authenticate-terminal-device";
import { checkInsurance } from "./check-insurance";
import type { TInsurerRoster } from "./insurer-roster";
import type { TReceptionAnswerDto } from "./schemas";

export type ReceivePatientOptions = {
  device: TTerminalDevice;
  /** The kiosk's tap binding (HttpOnly cookie); absent: TERMINAL_TAP_NOT_STARTED. */
  terminalBinding: string | undefined;
  request: { nonce?: unknown; token?: unknown };
  requestMetadata?: TRequestMetadata;
  /** The insurer question (default: the roster insurers keep through /api/v1). */
  roster?: TInsurerRoster;
  insurerTimeoutMs?: number;
};

/**
 * Reception (受付) at a hospital kiosk: the card tap is verified exactly as for eligibility
 * (challenge, token, path, signature, status at J-LIS now), the resident must be a patient who
 * linked this hospital (its 診察券 reference), and then their health insurer is asked
 * (checkInsurance): the hospital sees insurance data only for this tap, at its own terminal, of a
 * resident linked to the insurer. The access is written to the resident's access log with the
 * terminal label and the insurance outcome (not the numbers). A patient's reception opens a
 * visit (HospitalVisit, RECEIVED) holding that answer, in the same transaction.
 */
export async function receivePatient(ctx: TPlatformContext, o: ReceivePatientOptions): Promise<TReceptionAnswerDto> {
  if (o.device.mode !== "HOSPITAL") {
    throw new AppError("FORBIDDEN", { message: "Only a hospital reception terminal receives patients." });
  }
  if (!o.terminalBinding) throw new AppError("TERMINAL_TAP_NOT_STARTED");
  const hospitalId = o.device.partner.id;
  const input = ZCreateEligibilityCheckRequest.parse({ ...o.request, terminalBinding: o.terminalBinding });
  const tap = await verifyTerminalCardTap(ctx, {
    partnerId: hospitalId,
    mode: o.device.credentialMode,
    purpose: TERMINAL_CHALLENGE_PURPOSE,
    nonce: input.nonce,
    terminalBinding: input.terminalBinding,
    token: input.token,
  });
  const checkedAt = tap.now.toISOString();
  if (!tap.residentId) return { object: "hospital_reception", result: "CARD_UNKNOWN", checkedAt };
  const residentId = tap.residentId;
  const [link, resident] = await Promise.all([
    findLinkForPurpose(ctx.prisma, { partnerId: hospitalId, residentId, purpose: "eligibility" }),
    ctx.prisma.resident.findUniqueOrThrow({ where: { id: residentId }, select: { sandbox: true } }),
  ]);
  const linked = link ?? undefined;
  // The insurer is asked only for a patient of this hospital: a stranger's tap learns nothing.
  const insurance = linked
    ? await checkInsurance(ctx.prisma, {
        residentId,
        sandbox: resident.sandbox,
        now: tap.now,
        roster: o.roster,
        timeoutMs: o.insurerTimeoutMs,
      })
    : undefined;
  const visitId = await ctx.prisma.$transaction(async (tx) => {
    await appendAuditEvent(tx, {
      type: "partner.api_access",
      actor: { type: "partner", id: hospitalId },
      subjectResidentId: residentId,
      purpose: "資格確認",
      channel: "terminal",
      requestMetadata: o.requestMetadata,
      data: {
        operation: "hospital_reception",
        terminal: tap.terminal,
        terminalDeviceId: o.device.id,
        eligible: Boolean(linked),
        ...(insurance
          ? { insurance: insurance.answer.status, ...(insurance.insurerId ? { insurerId: insurance.insurerId } : {}) }
          : {}),
      },
    });
    if (!linked || !insurance) return undefined;
    // The visit this reception opens, with the insurer's answer of this moment (it fixes the copay).
    const visit = await tx.hospitalVisit.create({
      data: {
        hospitalId,
        residentId,
        patientRef: linked.partnerRef,
        terminalDeviceId: o.device.id,
        terminalLabel: tap.terminal,
        receivedAt: tap.now,
        insuranceStatus: insurance.answer.status,
        insurerId: insurance.insurerId ?? null,
        copayTenths: insurance.answer.status === "eligible" ? insurance.answer.copayRatio : null,
      },
      select: { id: true },
    });
    return visit.id;
  });
  if (!linked || !insurance || !visitId) {
    return { object: "hospital_reception", result: "RECIPIENT_NOT_LINKED", checkedAt };
  }
  return {
    object: "hospital_reception",
    result: "received",
    patient: { reference: linked.partnerRef },
    visit: { id: visitId },
    insurance: insurance.answer,
    checkedAt,
  };
}
