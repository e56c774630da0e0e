// GET /admin/transport/report?month=YYYY-MM – the community bus's monthly ride and billing report
// (CSV) for municipal staff (SUPERVISOR or ADMIN): per product and eligibility category the
// rides, fares, discounts and the subsidy the town owes the operator (lib/services/bus).
import type { NextRequest } from "next/server";
import { staffRoute } from "@/app/_server/route";
import { getDb } from "@/lib/db/client";
import { BUS_REPORT_ROLES, busMonthlyReport, busReportCsv } from "@/lib/services/bus/monthly-report";

export const dynamic = "force-dynamic";

export const GET = staffRoute<NextRequest>(
  async (request, { staff, requestMetadata }) => {
    const month = request.nextUrl.searchParams.get("month") ?? "";
    const rows = await busMonthlyReport(await getDb(), { month, staffId: staff.staffId, requestMetadata });
    return new Response(busReportCsv(month, rows), {
      headers: {
        "Content-Type": "text/csv; charset=utf-8; header=present",
        "Content-Disposition": `attachment; filename="bus-report-${month}.csv"`,
        "Cache-Control": "no-store",
      },
    });
  },
  { roles: BUS_REPORT_ROLES },
);
