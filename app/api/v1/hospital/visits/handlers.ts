import { z } from "zod";
import { listVisits } from "@/lib/services/hospital/list-visits";
import type { TApiDeps } from "../../_lib/with-partner";
import { withPartner } from "../../_lib/with-partner";
import { listHospitalVisitsMeta, ZVisitListResponse } from "./schema";

const ZStatusFilter = z.enum(["received", "recorded"]).optional();

/** GET /api/v1/hospital/visits – the hospital's visits, newest first. */
export function createListHospitalVisitsHandler(deps: TApiDeps) {
  return withPartner(listHospitalVisitsMeta.scope, deps, async (request, ctx) => {
    const status = ZStatusFilter.parse(new URL(request.url).searchParams.get("status") ?? undefined);
    const data = await listVisits(ctx.prisma, {
      hospitalId: ctx.credential.partnerId,
      mode: ctx.credential.mode,
      status,
    });
    return Response.json(ZVisitListResponse.parse({ data }), { headers: { "Cache-Control": "no-store" } });
  });
}
