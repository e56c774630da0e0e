"use server";

import { z } from "zod";
import { staffAction, type TActionState } from "@/app/_server/action";
import { getDb } from "@/lib/db/client";
import { REPORT_TRIAGE_ROLES } from "@/lib/reports/categories";
import { setSegmentClosure } from "@/lib/reports/roads";
import { triageReport } from "@/lib/reports/triage";

const optional = (v: FormDataEntryValue | null) => (typeof v === "string" ? v : undefined);

/** Staff assign a report and move its status with a public note (lib/reports checks role, flow, and audits). */
export async function triageReportAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return staffAction(
    async ({ staff, requestMetadata }) => {
      const status = optional(formData.get("status"));
      await triageReport(await getDb(), {
        staff: { staffId: staff.staffId, roles: staff.roles },
        input: {
          reportId: optional(formData.get("reportId")) ?? "",
          ...(status ? { status: status as never } : {}),
          publicNote: optional(formData.get("publicNote")),
          department: optional(formData.get("department")),
          assigneeStaffId: optional(formData.get("assigneeStaffId")),
        },
        requestMetadata,
      });
      return { ok: true, subject: "triaged" };
    },
    { roles: REPORT_TRIAGE_ROLES, revalidate: "/admin/reports" },
  );
}

const ZClosureForm = z.object({
  segmentId: z.uuid(),
  closed: z.enum(["true", "false"]),
  reason: z.string().max(500).optional(),
  reportId: z.union([z.uuid(), z.literal("")]).optional(),
});

/** Staff close a road segment (optionally confirming a road-damage report on it) or reopen it. */
export async function segmentClosureAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return staffAction(
    async ({ staff, requestMetadata }) => {
      const form = ZClosureForm.parse(Object.fromEntries(formData));
      await setSegmentClosure(await getDb(), {
        staff: { staffId: staff.staffId, roles: staff.roles },
        input: {
          segmentId: form.segmentId,
          closed: form.closed === "true",
          reason: form.reason,
          ...(form.reportId ? { reportId: form.reportId } : {}),
        },
        requestMetadata,
      });
      return { ok: true, subject: form.closed === "true" ? "closed" : "reopened" };
    },
    { roles: REPORT_TRIAGE_ROLES, revalidate: "/admin/reports" },
  );
}
