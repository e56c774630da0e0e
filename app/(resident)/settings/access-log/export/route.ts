import { requireCardResident } from "@/app/_server/session";
import { exportAccessLog } from "@/lib/audit/export-access-log";
import { getDb } from "@/lib/db/client";
import { residentRequestContext } from "@/app/_server/request-context";

export const dynamic = "force-dynamic";

/** GET /settings/access-log/export?format=csv|json – the resident's own access log as a file (audited). */
export async function GET(request: Request): Promise<Response> {
  const resident = await requireCardResident();
  if (!resident) {
    return Response.json({ error: { code: "UNAUTHENTICATED", message: "A card login is required." } }, { status: 401 });
  }
  const format = new URL(request.url).searchParams.get("format");
  if (format !== "csv" && format !== "json") {
    return Response.json(
      { error: { code: "VALIDATION_FAILED", message: "format must be csv or json" } },
      { status: 422 },
    );
  }
  const { channel, requestMetadata } = await residentRequestContext();
  const file = await exportAccessLog(await getDb(), {
    residentId: resident.residentId,
    format,
    channel,
    requestMetadata,
  });
  return new Response(file.body, {
    headers: {
      "content-type": file.contentType,
      "content-disposition": `attachment; filename="${file.filename}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
