// GET /admin/notices/progress?id=<batch> – the progress of one bulk notice (counts only, no
// resident data), polled by the page's progress bar.
import type { NextRequest } from "next/server";
import { staffRoute } from "@/app/_server/route";
import { getNoticeBatch } from "@/lib/bulk-notices/read-notice-batches";
import { NOTICE_SENDER_ROLES } from "@/lib/bulk-notices/roles";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";

export const dynamic = "force-dynamic";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const GET = staffRoute<NextRequest>(
  async (request, { staff }) => {
    const id = request.nextUrl.searchParams.get("id") ?? "";
    if (!UUID.test(id)) throw new AppError("NOTICE_BATCH_NOT_FOUND");
    const batch = await getNoticeBatch(await getDb(), {
      staff: { staffId: staff.staffId, roles: staff.roles },
      batchId: id,
    });
    return Response.json(batch, { headers: { "Cache-Control": "no-store" } });
  },
  { roles: NOTICE_SENDER_ROLES },
);
