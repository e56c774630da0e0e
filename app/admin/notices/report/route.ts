// GET /admin/notices/report?id=<batch> – the per-line report of a bulk notice as CSV (line,
// registryNumber, status, code, documentId); audited notice.report_downloaded.
import type { NextRequest } from "next/server";
import { staffRoute } from "@/app/_server/route";
import { noticeReportCsv } from "@/lib/bulk-notices/read-notice-batches";
import { NOTICE_SENDER_ROLES } from "@/lib/bulk-notices/roles";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";

export const dynamic = "force-dynamic";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const GET = staffRoute<NextRequest>(
  async (request, { staff, requestMetadata }) => {
    const id = request.nextUrl.searchParams.get("id") ?? "";
    if (!UUID.test(id)) throw new AppError("NOTICE_BATCH_NOT_FOUND");
    const csv = await noticeReportCsv(await getDb(), {
      staff: { staffId: staff.staffId, roles: staff.roles },
      batchId: id,
      requestMetadata,
    });
    return new Response(csv, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8; header=present",
        "Content-Disposition": `attachment; filename="notice-report-${id.slice(0, 8)}.csv"`,
        "Cache-Control": "no-store",
      },
    });
  },
  { roles: NOTICE_SENDER_ROLES },
);
