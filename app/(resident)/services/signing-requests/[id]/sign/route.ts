import { residentRoute } from "@/app/_server/route";
import { getPlatformContext } from "@/lib/platform/get-platform-context";
import { signSigningRequest } from "@/lib/services/signing-requests/resident-signing-requests";
import { readJson } from "../../../_lib/read-json";

export const dynamic = "force-dynamic";

/** POST /services/signing-requests/{id}/sign { signedData } → the signed request (verified before it is stored). */
export const POST = residentRoute<Request, { id: string }>(
  async (request, { resident, channel, requestMetadata, params }) => {
    const signed = await signSigningRequest(await getPlatformContext(), {
      residentId: resident.residentId,
      signingRequestId: params.id,
      request: await readJson(request, 150_000),
      channel,
      requestMetadata,
    });
    return Response.json({ id: signed.id, status: signed.status }, { headers: { "cache-control": "no-store" } });
  },
  { stepUp: true, message: "A card login is required." },
);
