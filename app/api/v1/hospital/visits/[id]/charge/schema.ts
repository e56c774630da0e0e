import { ZHospitalVisitPayment } from "@/lib/services/hospital/schemas";
import { PARTNER_AUTH_ERRORS, ZIdParamsSchema } from "../../../../_lib/platform-api";
import type { TOperationMeta } from "../../../../_lib/operation";

export const chargeHospitalVisitMeta: TOperationMeta = {
  method: "post",
  path: "/api/v1/hospital/visits/{id}/charge",
  operationId: "chargeHospitalVisit",
  summary: "Charge a recorded visit to the patient's payment method (会計)",
  description:
    "Charges the visit's total (copay + 保険外負担) to the payment method the patient linked at the payment processor; ichimai holds only the processor's token. The visit id is the processor's idempotency key: a retry or a concurrent call charges once and answers the payment (200; 201 when charged now). 402 PAYMENT_DECLINED, 409 PAYMENT_METHOD_MISSING and 503 PAYMENT_UNAVAILABLE leave the visit unpaid and payable later; 409 VISIT_NOT_RECORDED before the care is recorded. No request body.",
  scope: "hospital:visits",
  pathParams: ZIdParamsSchema,
  responses: [
    { status: 201, description: "Charged now.", schema: ZHospitalVisitPayment },
    { status: 200, description: "Paid before: the payment made.", schema: ZHospitalVisitPayment },
  ],
  errors: [
    ...PARTNER_AUTH_ERRORS,
    "NOT_FOUND",
    "CREDENTIAL_MODE_MISMATCH",
    "VISIT_NOT_RECORDED",
    "PAYMENT_METHOD_MISSING",
    "PAYMENT_DECLINED",
    "PAYMENT_UNAVAILABLE",
  ],
};
