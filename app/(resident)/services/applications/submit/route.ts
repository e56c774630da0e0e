import { residentRoute } from "@/app/_server/route";
import { getApplicationsContext } from "@/lib/services/applications/applications-context";
import { submitApplication } from "@/lib/services/applications/submit-application";
import { readJson } from "../../_lib/read-json";

export const dynamic = "force-dynamic";

/** POST /services/applications/submit { signedData } → the submitted application (201). */
export const POST = residentRoute(
  async (request, { resident, channel, requestMetadata }) => {
    const application = await submitApplication(await getApplicationsContext(), {
      residentId: resident.residentId,
      request: await readJson(request),
      channel,
      requestMetadata,
    });
    return Response.json(application, { status: 201, headers: { "cache-control": "no-store" } });
  },
  { stepUp: true, message: "A card login is required." },
);
