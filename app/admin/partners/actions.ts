"use server";

import { staffAction, type TActionState } from "@/app/_server/action";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { decideScopeRequest } from "@/lib/partners/scope-requests";
import { setPartnerActionOrigins } from "@/lib/partners/set-action-origins";
import { ZActionOriginsForm, ZDecideForm } from "./forms";

/** Staff approve or reject a partner's scope request (lib/partners/scope-requests.ts checks the role and audits). */
export async function decideScopeRequestAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return staffAction(
    async ({ staff, requestMetadata }) => {
      const form = ZDecideForm.safeParse(Object.fromEntries(formData));
      if (!form.success) throw new AppError("VALIDATION_FAILED");
      await decideScopeRequest(await getDb(), {
        requestId: form.data.id,
        staffId: staff.staffId,
        decision: form.data.decision,
        note: form.data.note || undefined,
        requestMetadata,
      });
      return { ok: true };
    },
    { revalidate: "/admin/partners" },
  );
}

/** Administrators and supervisors set the origins a partner's document actions may link to. */
export async function setActionOriginsAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return staffAction(
    async ({ staff, requestMetadata }) => {
      const form = ZActionOriginsForm.parse(Object.fromEntries(formData));
      await setPartnerActionOrigins(await getDb(), {
        staffId: staff.staffId,
        input: {
          partnerId: form.partnerId,
          origins: form.origins
            .split(/\r?\n/)
            .map((l) => l.trim())
            .filter(Boolean),
        },
        requestMetadata,
      });
      return { ok: true };
    },
    { revalidate: "/admin/partners" },
  );
}
