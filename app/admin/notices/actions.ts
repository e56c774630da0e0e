"use server";

import { z } from "zod";
import { staffAction, type TActionState } from "@/app/_server/action";
import { getBulkNoticesContext } from "@/lib/bulk-notices/context";
import { approveNoticeBatch, cancelNoticeBatch, retryNoticeBatch } from "@/lib/bulk-notices/decide-notice-batch";
import { NOTICE_SENDER_ROLES } from "@/lib/bulk-notices/roles";
import { AppError } from "@/lib/errors/app-error";

const ZDecision = z.object({ id: z.uuid(), decision: z.enum(["approve", "cancel", "retry"]) });

/** Approve (a supervisor other than the uploader), cancel or resume a bulk notice; lib checks the role and state again and audits. */
export async function decideNoticeBatchAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return staffAction(
    async ({ staff, requestMetadata }) => {
      const form = ZDecision.safeParse(Object.fromEntries(formData));
      if (!form.success) throw new AppError("VALIDATION_FAILED");
      const ctx = await getBulkNoticesContext();
      const o = { staff: { staffId: staff.staffId, roles: staff.roles }, batchId: form.data.id, requestMetadata };
      if (form.data.decision === "approve") await approveNoticeBatch(ctx, o);
      else if (form.data.decision === "cancel") await cancelNoticeBatch(ctx, o);
      else await retryNoticeBatch(ctx, o);
      const done = { approve: "approved", cancel: "cancelled", retry: "retried" } as const;
      return { ok: true, subject: done[form.data.decision] };
    },
    { roles: NOTICE_SENDER_ROLES, revalidate: "/admin/notices" },
  );
}
