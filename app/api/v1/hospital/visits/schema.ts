import { z } from "zod";
import { ZHospitalVisit } from "@/lib/services/hospital/schemas";
import { PARTNER_AUTH_ERRORS } from "../../_lib/platform-api";
import type { TOperationMeta } from "../../_lib/operation";

export const ZVisitListResponse = z.object({ data: z.array(ZHospitalVisit) });

export const listHospitalVisitsMeta: TOperationMeta = {
  method: "get",
  path: "/api/v1/hospital/visits",
  operationId: "listHospitalVisits",
  summary: "Your hospital's visits (受付 at your kiosks)",
  description:
    "The visits opened by card taps at your reception terminals, newest first (at most 100), with the insurer's answer at reception (`eligible` with the copay ratio, `lapsed`, or `unknown`). Filter with `?status=received` for those whose care you have not recorded yet. A TEST credential sees sandbox patients only, a LIVE one real patients only.",
  scope: "hospital:visits",
  responses: [{ status: 200, description: "The visits.", schema: ZVisitListResponse }],
  errors: [...PARTNER_AUTH_ERRORS, "VALIDATION_FAILED"],
};
