import { redeemShareLinkOrThrow } from "@/lib/mailbox/get-shared-document";
import { ZSignedDocumentBundle } from "@/lib/mailbox/schemas";
import { requestMetadataOf } from "@/lib/http/request-metadata";
import { errorResponse, type TApiDeps } from "../../_lib/with-partner";

type TRouteContext = { params: Promise<{ token: string }> };

/** GET /api/v1/share-links/{token} – redeem a one-time link (public: the token is the credential). */
export function createRedeemShareLinkHandler(deps: TApiDeps) {
  return async (request: Request, route: TRouteContext): Promise<Response> => {
    try {
      const { token } = await route.params;
      const bundle = await redeemShareLinkOrThrow(await deps.getPrisma(), {
        token,
        requestMetadata: requestMetadataOf(request.headers),
        now: deps.now?.(),
      });
      return Response.json(ZSignedDocumentBundle.parse(bundle), {
        headers: { "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" },
      });
    } catch (err) {
      return errorResponse(err);
    }
  };
}
