import { listPartnerShares } from "@/lib/mailbox/list-partner-shares";
import { type TApiDeps, withPartner } from "../_lib/with-partner";
import { listSharesMeta, ZListSharesResponseSchema } from "./schema";

/** GET /api/v1/shares – open shares to the calling partner. */
export function createListSharesHandler(deps: TApiDeps) {
  return withPartner(listSharesMeta.scope, deps, async (_request, ctx) => {
    const shares = await listPartnerShares(ctx.prisma, {
      partnerId: ctx.credential.partnerId,
      now: ctx.now,
      credentialMode: ctx.credential.mode,
    });
    return Response.json(ZListSharesResponseSchema.parse({ shares }), { headers: { "Cache-Control": "no-store" } });
  });
}
