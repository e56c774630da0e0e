import { validationFailed } from "@/lib/errors/app-error";
import { listDeliveryFailures } from "@/lib/mailbox/delivery-failures";
import { type TApiDeps, withPartner } from "../_lib/with-partner";
import {
  listDeliveryFailuresMeta,
  ZListDeliveryFailuresQuerySchema,
  ZListDeliveryFailuresResponseSchema,
} from "./schema";

/** GET /api/v1/delivery-failures – the calling partner's refused deliveries, by cursor. */
export function createListDeliveryFailuresHandler(deps: TApiDeps) {
  return withPartner(listDeliveryFailuresMeta.scope, deps, async (request, ctx) => {
    const params = new URL(request.url).searchParams;
    const query = ZListDeliveryFailuresQuerySchema.safeParse({
      cursor: params.get("cursor") ?? undefined,
      limit: params.get("limit") ?? undefined,
    });
    if (!query.success) {
      throw validationFailed(query.error);
    }
    const page = await listDeliveryFailures(ctx.prisma, { partnerId: ctx.credential.partnerId, ...query.data });
    return Response.json(ZListDeliveryFailuresResponseSchema.parse(page), { headers: { "Cache-Control": "no-store" } });
  });
}
