import { z } from "zod";
import { ZInsuranceMember, ZPutInsuranceMemberRequest } from "@/lib/services/hospital/schemas";
import { PARTNER_AUTH_ERRORS } from "../../../_lib/platform-api";
import type { TOperationMeta } from "../../../_lib/operation";

export const putInsuranceMemberMeta: TOperationMeta = {
  method: "put",
  path: "/api/v1/insurance/members/{memberNumber}",
  operationId: "putInsuranceMember",
  summary: "State one member's health insurance now (資格情報)",
  description:
    "Creates or replaces the roster entry of your member `memberNumber` — the reference you linked the resident under — with its status (`valid` or `lapsed`, 資格喪失), 保険者番号, 記号・番号 (and 枝番), coverage period and copay ratio (1–3割). Hospital reception terminals answer from this roster when the resident taps their card there: `eligible` only for a `valid` entry covering today and confirmed by you within the last 24 hours; an entry you have not confirmed since is answered as unknown (INSURANCE_UNKNOWN), never as eligible, so re-send every member at least daily (an unchanged entry is simply confirmed again). Entries written with a TEST credential answer for sandbox residents only, LIVE ones for real residents only. 201 when created, 200 when replaced.",
  scope: "insurance:roster",
  pathParams: z.object({ memberNumber: z.string().min(1).max(100) }),
  request: ZPutInsuranceMemberRequest,
  requestExample: {
    status: "valid",
    insurerNumber: "06360012",
    symbol: "1234",
    number: "567",
    branch: "01",
    validFrom: "2026-04-01",
    validUntil: "2027-03-31",
    copayRatio: 3,
  },
  responses: [
    { status: 200, description: "The entry, replaced.", schema: ZInsuranceMember },
    { status: 201, description: "The entry, created.", schema: ZInsuranceMember },
  ],
  errors: [
    ...PARTNER_AUTH_ERRORS,
    "BAD_JSON",
    "UNSUPPORTED_MEDIA_TYPE",
    "PAYLOAD_TOO_LARGE",
    "TEXT_CHARACTER_FORBIDDEN",
    "VALIDATION_FAILED",
  ],
};
