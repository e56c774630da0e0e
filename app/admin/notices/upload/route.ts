// POST /admin/notices/upload – staff register a bulk notice: the notice's text and a CSV of
// registry numbers (multipart/form-data). A route handler, not a server action: the CSV may be up
// to 2 MB (server actions stop at 1 MB). Answers JSON to the page's fetch, and a 303 back to the
// page for a form posted without JavaScript.
import type { NextRequest } from "next/server";
import { staffRoute } from "@/app/_server/route";
import { getBulkNoticesContext } from "@/lib/bulk-notices/context";
import { createNoticeBatch } from "@/lib/bulk-notices/create-notice-batch";
import { MAX_NOTICE_CSV_BYTES } from "@/lib/bulk-notices/parse-notice-csv";
import { NOTICE_SENDER_ROLES } from "@/lib/bulk-notices/roles";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";

export const dynamic = "force-dynamic";

/** The form's text fields; empty optional ones are left out. */
function text(form: FormData, name: string): string | undefined {
  const v = form.get(name);
  return typeof v === "string" && v.trim() !== "" ? v : undefined;
}

const wantsJson = (request: Request) => (request.headers.get("accept") ?? "").includes("application/json");

export const POST = staffRoute<NextRequest>(
  async (request, { staff, requestMetadata }) => {
    // A cross-site form post never carries the session cookie (SameSite), but say so plainly.
    const origin = request.headers.get("origin");
    if (origin && origin !== new URL(env().PORTAL_ORIGIN).origin) throw new AppError("ORIGIN_MISMATCH");
    const length = Number(request.headers.get("content-length") ?? "0");
    // Room for the text fields and the multipart framing around the file.
    if (length > MAX_NOTICE_CSV_BYTES + 64 * 1024) throw new AppError("NOTICE_CSV_TOO_LARGE");
    let form: FormData;
    try {
      form = await request.formData();
    } catch (cause) {
      throw new AppError("VALIDATION_FAILED", { cause });
    }
    const file = form.get("csv");
    if (!(file instanceof File) || file.size === 0) {
      throw new AppError("VALIDATION_FAILED", { details: { field: "csv" } });
    }
    if (file.size > MAX_NOTICE_CSV_BYTES) throw new AppError("NOTICE_CSV_TOO_LARGE");
    const result = await createNoticeBatch(await getBulkNoticesContext(), {
      staff: { staffId: staff.staffId, roles: staff.roles },
      notice: {
        title: text(form, "title") ?? "",
        body: text(form, "body") ?? "",
        titleEn: text(form, "titleEn"),
        bodyEn: text(form, "bodyEn"),
      },
      fileName: file.name,
      csv: new Uint8Array(await file.arrayBuffer()),
      encoding: form.get("encoding") === "shift_jis" ? "shift_jis" : "utf-8",
      requestMetadata,
    });
    const params = new URLSearchParams({
      batch: result.batchId,
      ...(result.existing ? { existing: "1" } : { created: "1" }),
    });
    if (wantsJson(request)) return Response.json(result, { status: result.existing ? 200 : 201 });
    return new Response(null, { status: 303, headers: { Location: `/admin/notices?${params}` } });
  },
  { roles: NOTICE_SENDER_ROLES },
);
