import { getDocumentReceiptOrThrow } from "@/lib/mailbox/get-document-receipt";
import { type TApiDeps, withPartner } from "../../_lib/with-partner";
import { getDocumentReceiptMeta, ZGetDocumentReceiptResponseSchema } from "./schema";

type TRouteContext = { params: Promise<{ id: string }> };

/** GET /api/v1/documents/{id} – status and receipt, for the delivering partner only. */
export function createGetDocumentReceiptHandler(deps: TApiDeps) {
  return withPartner(getDocumentReceiptMeta.scope, deps, async (_request, ctx, route: TRouteContext) => {
    const { id } = await route.params;
    const receipt = await getDocumentReceiptOrThrow(ctx.prisma, {
      partnerId: ctx.credential.partnerId,
      credentialMode: ctx.credential.mode,
      documentId: id,
      requestMetadata: ctx.requestMetadata,
      now: ctx.now,
    });
    return Response.json(ZGetDocumentReceiptResponseSchema.parse(receipt), {
      headers: { "Cache-Control": "no-store" },
    });
  });
}
