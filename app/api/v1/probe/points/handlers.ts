import { ingestProbeBatch } from "@/lib/reports/probe";
import { readJsonBody } from "../../_lib/read-json-body";
import { type TApiDeps, withPartner } from "../../_lib/with-partner";
import { postProbePointsMeta, ZProbeReceipt } from "./schema";

/** Bytes of a batch body: 500 points of about 120 bytes each, with room to spare. */
const MAX_BODY_BYTES = 128 * 1024;

/** POST /api/v1/probe/points – a batch of one vehicle's probe points. */
export function createPostProbePointsHandler(deps: TApiDeps) {
  return withPartner(postProbePointsMeta.scope, deps, async (request, ctx) => {
    const body = await readJsonBody(request, MAX_BODY_BYTES);
    const result = await ingestProbeBatch(
      { prisma: ctx.prisma, now: () => ctx.now },
      {
        partnerId: ctx.credential.partnerId,
        credentialMode: ctx.credential.mode,
        body,
        requestMetadata: ctx.requestMetadata,
      },
    );
    return Response.json(ZProbeReceipt.parse({ object: "probe_receipt", ...result }), {
      status: 202,
      headers: { "Cache-Control": "no-store" },
    });
  });
}
