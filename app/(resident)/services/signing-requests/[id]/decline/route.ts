import { residentRoute } from "@/app/_server/route";
import { getDb } from "@/lib/db/client";
import { declineSigningRequest } from "@/lib/services/signing-requests/resident-signing-requests";

export const dynamic = "force-dynamic";

/** POST /services/signing-requests/{id}/decline → the declined request. */
export const POST = residentRoute<Request, { id: string }>(
  async (_request, { resident, channel, requestMetadata, params }) => {
    const declined = await declineSigningRequest(await getDb(), {
      residentId: resident.residentId,
      signingRequestId: params.id,
      channel,
      requestMetadata,
    });
    return Response.json({ id: declined.id, status: declined.status }, { headers: { "cache-control": "no-store" } });
  },
  { stepUp: true, message: "A card login is required." },
);
