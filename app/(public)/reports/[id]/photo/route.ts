import { guardedRoute } from "@/app/_server/route";
import { requireResident, requireStaff } from "@/app/_server/session";
import { getDb } from "@/lib/db/client";
import { requestMetadataOf } from "@/lib/http/request-metadata";
import { type TPhotoViewer, readReportPhoto } from "@/lib/reports/photo-access";

export const dynamic = "force-dynamic";

/**
 * GET /reports/{id}/photo – a report's photo for staff (triage roles), the reporting resident, or
 * the visitor's tracking token (`?t=`); anyone else 404 REPORT_NOT_FOUND. Never cached by shared
 * caches; the bytes carry no metadata (lib/reports/photo.ts).
 */
export const GET = guardedRoute(
  async (request: Request, route: { params: Promise<{ id: string }> }) => {
    const { id } = await route.params;
    const token = new URL(request.url).searchParams.get("t");
    const staff = await requireStaff();
    const resident = staff ? null : await requireResident();
    const viewer: TPhotoViewer = staff
      ? { type: "staff", staffId: staff.staffId, roles: staff.roles }
      : token
        ? { type: "token", token }
        : resident
          ? { type: "resident", residentId: resident.residentId }
          : { type: "token", token: "" };
    const photo = await readReportPhoto(await getDb(), {
      reportId: id,
      viewer,
      requestMetadata: requestMetadataOf(request.headers),
    });
    return new Response(photo.bytes, {
      headers: {
        "Content-Type": photo.contentType,
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
        "Content-Disposition": "inline",
      },
    });
  },
  { logLabel: "reports/photo", errorHeaders: { "Cache-Control": "no-store" } },
);
