import { guardedRoute } from "@/app/_server/route";
import { requireResident } from "@/app/_server/session";
import { getDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import { AppError, toErrorResponse } from "@/lib/errors/app-error";
import { requestMetadataOf } from "@/lib/http/request-metadata";
import { REPORT_PHOTO_MAX_BYTES } from "@/lib/reports/photo";
import { submitReport } from "@/lib/reports/submit-report";

export const dynamic = "force-dynamic";

/** The form's fields and the photo, with room for the multipart framing. */
const MAX_BODY_BYTES = REPORT_PHOTO_MAX_BYTES + 64 * 1024;

const redirectTo = (path: string) =>
  new Response(null, { status: 303, headers: { Location: path, "Cache-Control": "no-store" } });

/**
 * POST /reports/submit – the report form (/reports/new) posts here as multipart/form-data, so it
 * works without JavaScript and takes photos larger than a server action's body. A signed-in
 * resident's report is theirs only when the form came from this site (Sec-Fetch-Site or Origin), so
 * another site cannot send one in their name; anyone else is a visitor. Answers 303 to the
 * tracking page (visitors: the private token link) or /reports/mine; a refusal goes back to the
 * form with its code.
 */
export const POST = guardedRoute(
  async (request: Request) => {
    const declared = Number(request.headers.get("content-length") ?? "NaN");
    if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) throw new AppError("REPORT_PHOTO_TOO_LARGE");
    let form: FormData;
    try {
      form = await request.formData();
    } catch {
      throw new AppError("VALIDATION_FAILED");
    }
    const text = (k: string) => {
      const v = form.get(k);
      return typeof v === "string" ? v : "";
    };
    const file = form.get("photo");
    const photo = file instanceof File && file.size > 0 ? new Uint8Array(await file.arrayBuffer()) : null;
    const sameSite =
      request.headers.get("sec-fetch-site") === "same-origin" || request.headers.get("origin") === env().PORTAL_ORIGIN;
    const resident = sameSite ? await requireResident() : null;
    const result = await submitReport(
      { prisma: await getDb() },
      {
        reporter: resident ? { type: "resident", residentId: resident.residentId } : { type: "visitor" },
        input: {
          category: text("category") as never,
          description: text("description"),
          latitude: text("latitude"),
          longitude: text("longitude"),
        },
        photo,
        requestMetadata: requestMetadataOf(request.headers),
      },
    );
    return redirectTo(
      result.trackingToken ? `/reports/track/${result.trackingToken}?sent=1` : `/reports/mine?sent=${result.id}`,
    );
  },
  {
    logLabel: "reports/submit",
    onError: (err) => {
      return redirectTo(`/reports/new?error=${encodeURIComponent(toErrorResponse(err).body.error.code)}`);
    },
  },
);
