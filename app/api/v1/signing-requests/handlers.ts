import { createSigningRequest } from "@/lib/services/signing-requests/partner-signing-requests";
import { ZSigningRequest } from "@/lib/services/signing-requests/schemas";
import { readJsonBody } from "../_lib/read-json-body";
import type { TApiDeps } from "../_lib/with-partner";
import { withPartner } from "../_lib/with-partner";
import { createSigningRequestMeta } from "./schema";

/** POST /api/v1/signing-requests – ask a linked resident to sign an application text. */
export function createCreateSigningRequestHandler(deps: TApiDeps) {
  return withPartner(createSigningRequestMeta.scope, deps, async (request, ctx) => {
    const body = await readJsonBody(request, 128 * 1024);
    const created = await createSigningRequest(ctx.prisma, {
      partner: {
        partnerId: ctx.credential.partnerId,
        credentialId: ctx.credential.credentialId,
        mode: ctx.credential.mode,
      },
      request: body,
      requestMetadata: ctx.requestMetadata,
      now: ctx.now,
    });
    return Response.json(ZSigningRequest.parse(created), {
      status: 201,
      headers: { Location: `/api/v1/signing-requests/${created.id}`, "Cache-Control": "no-store" },
    });
  });
}
