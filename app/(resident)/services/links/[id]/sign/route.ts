import { residentRoute } from "@/app/_server/route";
import { approveLinkRequestWithSignature } from "@/lib/links/resident-link-requests";
import { getPlatformContext } from "@/lib/platform/get-platform-context";
import { readJson } from "../../../_lib/read-json";

export const dynamic = "force-dynamic";

/** POST /services/links/{id}/sign { signedData } → approved (the CMS verified before anything is written). */
export const POST = residentRoute<Request, { id: string }>(
  async (request, { resident, channel, requestMetadata, params }) => {
    const { linkId } = await approveLinkRequestWithSignature(await getPlatformContext(), {
      residentId: resident.residentId,
      linkRequestId: params.id,
      request: await readJson(request, 150_000),
      channel,
      requestMetadata,
    });
    return Response.json({ linkId }, { headers: { "cache-control": "no-store" } });
  },
  { stepUp: true, message: "A card login is required." },
);
