"use server";

import { z } from "zod";
import { staffAction, type TActionState } from "@/app/_server/action";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { getApplicationsContext } from "@/lib/services/applications/applications-context";
import { approveApplication } from "@/lib/services/applications/approve-application";
import { REVIEWER_ROLES, returnApplication } from "@/lib/services/applications/review-applications";

const ZDecision = z.object({
  id: z.uuid(),
  decision: z.enum(["APPROVE", "RETURN"]),
  reason: z.string().max(2000).optional(),
});

/**
 * Staff approve an application or return it with a reason (lib/services/applications checks the
 * role and the state again, and audits). An approval whose fulfilment is still owed answers
 * ok with `message` = the pending code, so the page can say so.
 */
export async function decideApplicationAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return staffAction(
    async ({ staff, requestMetadata }) => {
      const form = ZDecision.safeParse(Object.fromEntries(formData));
      if (!form.success) throw new AppError("VALIDATION_FAILED");
      const reviewer = { staffId: staff.staffId, roles: staff.roles };
      if (form.data.decision === "RETURN") {
        await returnApplication(await getDb(), {
          staff: reviewer,
          applicationId: form.data.id,
          reason: form.data.reason ?? "",
          requestMetadata,
        });
        return { ok: true, subject: "returned" };
      }
      const result = await approveApplication(await getApplicationsContext(), {
        staff: reviewer,
        applicationId: form.data.id,
        requestMetadata,
      });
      return result.pending
        ? { ok: true, subject: "pending", message: result.pending.code }
        : { ok: true, subject: "approved" };
    },
    { roles: REVIEWER_ROLES, revalidate: "/admin/applications" },
  );
}
