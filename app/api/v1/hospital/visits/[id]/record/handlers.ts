import { recordVisit } from "@/lib/services/hospital/record-visit";
import { ZHospitalVisit } from "@/lib/services/hospital/schemas";
import { ZIdParamsSchema } from "../../../../_lib/platform-api";
import { readJsonBody } from "../../../../_lib/read-json-body";
import type { TApiDeps } from "../../../../_lib/with-partner";
import { withPartner } from "../../../../_lib/with-partner";
import { recordHospitalVisitMeta } from "./schema";

type TRouteContext = { params: Promise<{ id: string }> };

/** POST /api/v1/hospital/visits/{id}/record – the care of one visit; the copay follows. */
export function createRecordHospitalVisitHandler(deps: TApiDeps) {
  return withPartner(recordHospitalVisitMeta.scope, deps, async (request, ctx, route: TRouteContext) => {
    const { id } = ZIdParamsSchema.parse(await route.params);
    const body = await readJsonBody(request, 32 * 1024);
    const { visit, recorded } = await recordVisit(ctx.prisma, {
      hospital: {
        partnerId: ctx.credential.partnerId,
        mode: ctx.credential.mode,
        credentialId: ctx.credential.credentialId,
      },
      visitId: id,
      request: body,
      requestMetadata: ctx.requestMetadata,
      now: ctx.now,
    });
    return Response.json(ZHospitalVisit.parse(visit), {
      status: recorded ? 201 : 200,
      headers: { "Cache-Control": "no-store" },
    });
  });
}
