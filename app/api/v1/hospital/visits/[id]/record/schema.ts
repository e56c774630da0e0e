import { ZHospitalVisit, ZRecordVisitRequest } from "@/lib/services/hospital/schemas";
import { PARTNER_AUTH_ERRORS, ZIdParamsSchema } from "../../../../_lib/platform-api";
import type { TOperationMeta } from "../../../../_lib/operation";

export const recordHospitalVisitMeta: TOperationMeta = {
  method: "post",
  path: "/api/v1/hospital/visits/{id}/record",
  operationId: "recordHospitalVisit",
  summary: "Record the care of a visit (department, points, medications)",
  description:
    "Fixes the visit's 診療科, 保険点数 (1 point = 10 yen), 保険外負担 and the drugs prescribed. The copay follows from the insurer's answer at reception: points × 10 yen × the copay ratio, rounded to 10 yen (10円未満四捨五入); without a confirmed insurance the patient pays the whole insured amount (10割). A visit is recorded once: sending the same record again answers the stored visit (200), a different one is 409 VISIT_ALREADY_RECORDED. 201 when recorded now.",
  scope: "hospital:visits",
  pathParams: ZIdParamsSchema,
  request: ZRecordVisitRequest,
  requestExample: {
    department: "内科",
    points: 412,
    uninsuredYen: 0,
    medications: [
      {
        name: "アムロジピン錠5mg",
        dose: "1回1錠 1日1回 朝食後",
        days: 28,
        prescribedAt: "2026-12-07",
        prescriber: "吉野 一郎",
      },
    ],
  },
  responses: [
    { status: 201, description: "The visit, recorded now.", schema: ZHospitalVisit },
    { status: 200, description: "The visit, recorded before with the same record.", schema: ZHospitalVisit },
  ],
  errors: [
    ...PARTNER_AUTH_ERRORS,
    "BAD_JSON",
    "UNSUPPORTED_MEDIA_TYPE",
    "PAYLOAD_TOO_LARGE",
    "TEXT_CHARACTER_FORBIDDEN",
    "VALIDATION_FAILED",
    "NOT_FOUND",
    "CREDENTIAL_MODE_MISMATCH",
    "VISIT_ALREADY_RECORDED",
  ],
};
