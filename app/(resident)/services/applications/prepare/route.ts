import { residentRoute } from "@/app/_server/route";
import { getDb } from "@/lib/db/client";
import { prepareApplication } from "@/lib/services/applications/prepare-application";
import { readJson } from "../../_lib/read-json";

export const dynamic = "force-dynamic";

/** POST /services/applications/prepare { kind, form, applicationId? } → the content to sign and its canonical text. */
export const POST = residentRoute(
  async (request, { resident }) => {
    const body = (await readJson(request)) as { applicationId?: unknown; kind?: unknown; form?: unknown } | null;
    const applicationId = typeof body?.applicationId === "string" ? body.applicationId : undefined;
    const prepared = await prepareApplication(await getDb(), {
      residentId: resident.residentId,
      draft: { kind: body?.kind, form: body?.form },
      applicationId,
      now: new Date(),
    });
    return Response.json(prepared, { headers: { "cache-control": "no-store" } });
  },
  { stepUp: true, message: "A card login is required." },
);
