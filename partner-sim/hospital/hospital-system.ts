/**
 * A simulated hospital's own system (一枚町立病院 in the demo and e2e), standing where a real
 * hospital's 会計 system stands: after ichimai answered its charge, it builds the 診療費領収書
 * (`hospital-receipt`) and お薬の記録 (`medication-list`) of the visit from its own records, signs
 * each with the hospital's organisation key (certified by the partner CA; the key never leaves the
 * hospital) and delivers them through the public POST /api/v1/documents under its own API
 * credential — exactly as any partner delivers. ichimai signs nothing for the hospital.
 */
import { signCms } from "@/lib/jpki";
import { canonicalJsonBytes } from "@/lib/mailbox/canonical-json";
import type { THospitalVisitDto, THospitalVisitPaymentDto } from "@/lib/services/hospital/schemas";

export type THospitalSigner = { certificate: Uint8Array; privateKey: CryptoKey };

export type THospitalSystem = {
  /** ichimai's origin (the partner API). */
  origin: string;
  /** The hospital's API credential (`Basic …`) with documents:deliver. */
  authorization: string;
  /** The hospital's name as it prints it on its documents. */
  hospitalName: string;
  signer: THospitalSigner;
  fetch?: typeof fetch;
};

/** The JST calendar day of an instant (YYYY-MM-DD). */
function jstDay(iso: string): string {
  return new Date(new Date(iso).getTime() + 9 * 3600_000).toISOString().slice(0, 10);
}

type TRecordedVisit = THospitalVisitDto & {
  department: string;
  points: number;
  copayYen: number;
  uninsuredYen: number;
  totalYen: number;
};

function recorded(visit: THospitalVisitDto): TRecordedVisit {
  if (visit.status !== "recorded" || visit.department === undefined || visit.points === undefined) {
    throw new Error(`hospital system: visit ${visit.id} is not recorded`);
  }
  return visit as TRecordedVisit;
}

/** 診療費領収書 of a paid visit. The document type knows 1–3割 only: a visit without confirmed insurance (10割) gets none. */
export function receiptPayload(
  visit: THospitalVisitDto,
  payment: THospitalVisitPaymentDto,
  o: { hospitalName: string; patientName: string },
): Record<string, unknown> {
  const v = recorded(visit);
  const ratio = v.insurance.copayRatio;
  if (ratio === undefined) throw new Error("hospital system: no 1–3割 ratio (10割): hospital-receipt cannot state it");
  return {
    hospital: o.hospitalName,
    receiptNumber: `R-${v.id}`,
    patientName: o.patientName,
    visitDate: jstDay(v.receivedAt),
    department: v.department,
    insurancePoints: v.points,
    selfPayRatio: ratio / 10,
    insuredAmount: v.copayYen,
    uninsuredAmount: v.uninsuredYen,
    total: payment.amountYen,
    paidAt: payment.paidAt,
  };
}

/** お薬の記録 of a visit; null when nothing was prescribed. */
export function medicationListPayload(
  visit: THospitalVisitDto,
  o: { hospitalName: string; patientName: string },
): Record<string, unknown> | null {
  const v = recorded(visit);
  if (!v.medications || v.medications.length === 0) return null;
  return {
    hospital: o.hospitalName,
    patientName: o.patientName,
    visitDate: jstDay(v.receivedAt),
    department: v.department,
    medications: v.medications,
  };
}

async function deliver(
  sys: THospitalSystem,
  o: { type: string; idempotencyKey: string; partnerRef: string; payload: Record<string, unknown>; signedAt: Date },
): Promise<{ id: string }> {
  const signature = await signCms({
    content: canonicalJsonBytes(o.payload),
    signerCertificate: sys.signer.certificate,
    privateKey: sys.signer.privateKey,
    detached: true,
    // A fixed signing time (the payment's) makes a re-run byte-identical (RSA PKCS#1 v1.5 is
    // deterministic), so the same idempotency key replays instead of being refused as reused.
    signingTime: o.signedAt,
  });
  const res = await (sys.fetch ?? fetch)(`${sys.origin}/api/v1/documents`, {
    method: "POST",
    headers: {
      authorization: sys.authorization,
      "content-type": "application/json",
      "idempotency-key": o.idempotencyKey,
    },
    body: JSON.stringify({
      type: o.type,
      recipient: { partnerRef: o.partnerRef },
      payload: o.payload,
      signature: Buffer.from(signature).toString("base64"),
    }),
  });
  const body = (await res.json()) as { id?: string; error?: { code: string } };
  if (!res.ok || !body.id) throw new Error(`hospital system: ${o.type} refused (${res.status} ${body.error?.code})`);
  return { id: body.id };
}

/**
 * After 会計: the receipt and (when drugs were prescribed) the medication list of the visit,
 * signed and delivered to the patient (by the hospital's 診察券 reference). Idempotency keys per
 * visit and type: a re-run after a fault delivers nothing twice.
 */
export async function deliverVisitDocuments(
  sys: THospitalSystem,
  o: { visit: THospitalVisitDto; payment: THospitalVisitPaymentDto; patientName: string },
): Promise<{ receipt: { id: string }; medicationList: { id: string } | null }> {
  const names = { hospitalName: sys.hospitalName, patientName: o.patientName };
  const signedAt = new Date(o.payment.paidAt);
  const receipt = await deliver(sys, {
    type: "hospital-receipt",
    idempotencyKey: `hospital-receipt-${o.visit.id}`,
    partnerRef: o.visit.patientReference,
    payload: receiptPayload(o.visit, o.payment, names),
    signedAt,
  });
  const meds = medicationListPayload(o.visit, names);
  const medicationList = meds
    ? await deliver(sys, {
        type: "medication-list",
        idempotencyKey: `medication-list-${o.visit.id}`,
        partnerRef: o.visit.patientReference,
        payload: meds,
        signedAt,
      })
    : null;
  return { receipt, medicationList };
}
