// GET /admin/audit/export?<filters> – the filtered audit events as CSV for AUDITOR / ADMIN staff
// (lib/audit/audit-viewer.ts exportAuditEvents; the export is itself audited `audit.exported`).
import type { NextRequest } from "next/server";
import { staffRoute } from "@/app/_server/route";
import { AUDIT_VIEWER_ROLES, exportAuditEvents } from "@/lib/audit/audit-viewer";
import { getDb } from "@/lib/db/client";
import { auditFilterOf, firstValues, ZAuditSearchParams } from "../filter";

export const dynamic = "force-dynamic";

export const GET = staffRoute<NextRequest>(
  async (request, { staff, requestMetadata }) => {
    const params = ZAuditSearchParams.parse(firstValues(request.nextUrl.searchParams));
    const file = await exportAuditEvents(await getDb(), {
      staffId: staff.staffId,
      filter: auditFilterOf(params),
      requestMetadata,
    });
    return new Response(file.body, {
      headers: {
        "Content-Type": `${file.contentType}; header=present`,
        "Content-Disposition": `attachment; filename="${file.filename}"`,
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
        "X-Audit-Export-Count": String(file.count),
        "X-Audit-Export-Truncated": String(file.truncated),
      },
    });
  },
  { roles: AUDIT_VIEWER_ROLES },
);
