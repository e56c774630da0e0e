import { guardedRoute } from "@/app/_server/route";
import { requestMetadataOf } from "@/lib/http/request-metadata";
import { redeemShareLinkOrThrow } from "@/lib/mailbox/get-shared-document";
import { ZSignedDocumentBundle } from "@/lib/mailbox/schemas";
import { errorResponse, type TApiDeps } from "../../_lib/with-partner";

type TRouteContext = { params: Promise<{ token: string }> };

/**
 * GET /api/v1/share-links/{token} – redeem a one-time link (public: the token is the credential,
 * so no withPartner; errors are still the API's JSON errors).
 */
export function createRedeemShareLinkHandler(deps: TApiDeps) {
  return guardedRoute(
    async (request: Request, route: TRouteContext): Promise<Response> => {
      const { token } = await route.params;
      const bundle = await redeemShareLinkOrThrow(await deps.getPrisma(), {
        token,
        requestMetadata: requestMetadataOf(request.headers),
        now: deps.now?.(),
      });
      return Response.json(ZSignedDocumentBundle.parse(bundle), {
        headers: { "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" },
      });
    },
    { onError: errorResponse },
  );
}
