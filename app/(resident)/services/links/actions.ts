"use server";

import { z } from "zod";
import { residentAction, type TActionState } from "@/app/_server/action";
import { unlinkPartner } from "@/lib/consent/unlink-partner";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { ZSafeText } from "@/lib/http/safe-text";
import { approveLinkRequest, claimLinkRequest, refuseLinkRequest } from "@/lib/links/resident-link-requests";

const PAGE = "/services/links";

const ZClaimForm = z.object({ code: ZSafeText.max(40) });
const ZDecideForm = z.object({ id: z.uuid(), decision: z.enum(["approve", "refuse"]) });
const ZEndForm = z.object({ id: z.uuid(), kind: z.literal("link") });

/** The resident enters a link code: the partner's request is now theirs to decide. */
export async function claimLinkRequestAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return residentAction(
    async ({ resident, channel, requestMetadata }) => {
      const form = ZClaimForm.safeParse(Object.fromEntries(formData));
      if (!form.success) throw new AppError("VALIDATION_FAILED");
      await claimLinkRequest(await getDb(), {
        residentId: resident.residentId,
        code: form.data.code,
        channel,
        requestMetadata,
      });
      return { ok: true };
    },
    { stepUp: true, revalidate: PAGE },
  );
}

/** Approves (a fresh card login: step-up) or refuses a pending link request. */
export async function decideLinkRequestAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return residentAction(
    async ({ resident, channel, requestMetadata }) => {
      const form = ZDecideForm.safeParse(Object.fromEntries(formData));
      if (!form.success) throw new AppError("VALIDATION_FAILED");
      const o = { residentId: resident.residentId, linkRequestId: form.data.id, channel, requestMetadata };
      if (form.data.decision === "approve") await approveLinkRequest(await getDb(), o);
      else await refuseLinkRequest(await getDb(), o);
      return { ok: true, message: form.data.decision };
    },
    { stepUp: true, revalidate: PAGE },
  );
}

/** Ends a link (lib/consent unlinkPartner, as /settings/consents does). */
export async function endLinkAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return residentAction(
    async ({ resident, channel, requestMetadata }) => {
      const form = ZEndForm.safeParse(Object.fromEntries(formData));
      if (!form.success) throw new AppError("VALIDATION_FAILED");
      await unlinkPartner(await getDb(), {
        residentId: resident.residentId,
        linkId: form.data.id,
        channel,
        requestMetadata,
      });
      return { ok: true };
    },
    { stepUp: true, revalidate: PAGE },
  );
}
