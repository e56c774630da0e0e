import { putInsuranceMember } from "@/lib/services/hospital/put-insurance-member";
import { ZInsuranceMember } from "@/lib/services/hospital/schemas";
import type { TApiDeps } from "../../../_lib/with-partner";
import { readJsonBody } from "../../../_lib/read-json-body";
import { withPartner } from "../../../_lib/with-partner";
import { putInsuranceMemberMeta } from "./schema";

type TRouteContext = { params: Promise<{ memberNumber: string }> };

/** PUT /api/v1/insurance/members/{memberNumber} – the insurer states one member's insurance now. */
export function createPutInsuranceMemberHandler(deps: TApiDeps) {
  return withPartner(putInsuranceMemberMeta.scope, deps, async (request, ctx, route: TRouteContext) => {
    const { memberNumber } = await route.params;
    const body = await readJsonBody(request, 4 * 1024);
    const { member, created } = await putInsuranceMember(ctx.prisma, {
      insurer: { partnerId: ctx.credential.partnerId, mode: ctx.credential.mode },
      memberNumber,
      request: body,
      now: ctx.now,
    });
    return Response.json(ZInsuranceMember.parse(member), {
      status: created ? 201 : 200,
      headers: { "Cache-Control": "no-store" },
    });
  });
}
