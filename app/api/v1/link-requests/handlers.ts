import { createLinkRequest } from "@/lib/links/partner-link-requests";
import { ZCreatedLinkRequest } from "@/lib/links/schemas";
import type { TApiDeps } from "../_lib/with-partner";
import { readJsonBody } from "../_lib/read-json-body";
import { withPartner } from "../_lib/with-partner";
import { createLinkRequestMeta } from "./schema";

/** POST /api/v1/link-requests – propose a member link. */
export function createCreateLinkRequestHandler(deps: TApiDeps) {
  return withPartner(createLinkRequestMeta.scope, deps, async (request, ctx) => {
    const body = await readJsonBody(request, 8 * 1024);
    const created = await createLinkRequest(ctx.prisma, {
      partner: {
        partnerId: ctx.credential.partnerId,
        credentialId: ctx.credential.credentialId,
        mode: ctx.credential.mode,
      },
      request: body,
      requestMetadata: ctx.requestMetadata,
      now: ctx.now,
    });
    return Response.json(ZCreatedLinkRequest.parse(created), {
      status: 201,
      headers: { Location: `/api/v1/link-requests/${created.id}`, "Cache-Control": "no-store" },
    });
  });
}
