import { residentRoute } from "@/app/_server/route";
import { exportAccessLog } from "@/lib/audit/export-access-log";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";

export const dynamic = "force-dynamic";

/** GET /settings/access-log/export?format=csv|json – the resident's own access log as a file (audited). */
export const GET = residentRoute(
  async (request, { resident, channel, requestMetadata }) => {
    const format = new URL(request.url).searchParams.get("format");
    if (format !== "csv" && format !== "json") {
      throw new AppError("VALIDATION_FAILED", { message: "format must be csv or json" });
    }
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
  },
  { stepUp: true, message: "A card login is required." },
);
