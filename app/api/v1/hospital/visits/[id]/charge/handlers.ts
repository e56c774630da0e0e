import { chargeVisit } from "@/lib/services/hospital/charge-visit";
import { ZHospitalVisitPayment } from "@/lib/services/hospital/schemas";
import type { TPaymentProcessor } from "@/lib/services/payment/payment-processor";
import { ZIdParamsSchema } from "../../../../_lib/platform-api";
import type { TApiDeps } from "../../../../_lib/with-partner";
import { withPartner } from "../../../../_lib/with-partner";
import { chargeHospitalVisitMeta } from "./schema";

type TRouteContext = { params: Promise<{ id: string }> };

/** POST /api/v1/hospital/visits/{id}/charge – 会計: the visit's total, charged once. */
export function createChargeHospitalVisitHandler(deps: TApiDeps, getProcessor: () => TPaymentProcessor) {
  return withPartner(chargeHospitalVisitMeta.scope, deps, async (_request, ctx, route: TRouteContext) => {
    const { id } = ZIdParamsSchema.parse(await route.params);
    const { payment, charged } = await chargeVisit(ctx.prisma, {
      hospital: {
        partnerId: ctx.credential.partnerId,
        mode: ctx.credential.mode,
        credentialId: ctx.credential.credentialId,
      },
      visitId: id,
      processor: getProcessor(),
      requestMetadata: ctx.requestMetadata,
      now: ctx.now,
    });
    return Response.json(ZHospitalVisitPayment.parse(payment), {
      status: charged ? 201 : 200,
      headers: { "Cache-Control": "no-store" },
    });
  });
}
