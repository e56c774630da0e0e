import { getSharedDocumentForPartnerOrThrow } from "@/lib/mailbox/get-shared-document";
import { type TApiDeps, withPartner } from "../../_lib/with-partner";
import { getSharedDocumentMeta, ZGetSharedDocumentResponseSchema } from "./schema";

type TRouteContext = { params: Promise<{ id: string }> };

/** GET /api/v1/shares/{id} – the signed document a resident shared with the calling partner. */
export function createGetSharedDocumentHandler(deps: TApiDeps) {
  return withPartner(getSharedDocumentMeta.scope, deps, async (_request, ctx, route: TRouteContext) => {
    const { id } = await route.params;
    const bundle = await getSharedDocumentForPartnerOrThrow(ctx.prisma, {
      partnerId: ctx.credential.partnerId,
      credentialMode: ctx.credential.mode,
      shareId: id,
      requestMetadata: ctx.requestMetadata,
      now: ctx.now,
    });
    return Response.json(ZGetSharedDocumentResponseSchema.parse(bundle), { headers: { "Cache-Control": "no-store" } });
  });
}
