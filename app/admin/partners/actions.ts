"use server";

import { staffAction, type TActionState } from "@/app/_server/action";
import { getDb } from "@/lib/db/client";
import { decideScopeRequest } from "@/lib/partners/scope-requests";
import { setPartnerActionOrigins } from "@/lib/partners/set-action-origins";
import { ZActionOriginsForm, ZDecideForm } from "./forms";

/** Staff approve or reject a partner's scope request (lib/partners/scope-requests.ts checks the role and audits). */
export async function decideScopeRequestAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return staffAction(
    async ({ staff, requestMetadata }) => {
      // parse, not safeParse: staffAction answers a NUL in the note as TEXT_CHARACTER_FORBIDDEN naming it.
      const form = ZDecideForm.parse(Object.fromEntries(formData));
      await decideScopeRequest(await getDb(), {
        requestId: form.id,
        staffId: staff.staffId,
        decision: form.decision,
        note: form.note || undefined,
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
