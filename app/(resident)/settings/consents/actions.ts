"use server";

import { residentAction, type TActionState } from "@/app/_server/action";
import { unlinkPartner } from "@/lib/consent/unlink-partner";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { revokeShare } from "@/lib/mailbox/revoke-share";
import { withdrawOidcConsent } from "@/lib/oidc/consent";
import { ZRevokeConsentForm } from "./forms";

/** Revokes a delivery consent (partner link), a partner's read access (share) or a single sign-on consent of the resident. */
export async function revokeConsentAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return residentAction(
    async ({ resident, channel, requestMetadata }) => {
      const form = ZRevokeConsentForm.safeParse(Object.fromEntries(formData));
      if (!form.success) throw new AppError("VALIDATION_FAILED");
      const prisma = await getDb();
      if (form.data.kind === "sso") {
        await withdrawOidcConsent(prisma, {
          residentId: resident.residentId,
          clientId: form.data.id,
          channel,
          requestMetadata,
        });
      } else if (form.data.kind === "link") {
        await unlinkPartner(prisma, {
          residentId: resident.residentId,
          linkId: form.data.id,
          channel,
          requestMetadata,
        });
      } else {
        await revokeShare(prisma, { residentId: resident.residentId, shareId: form.data.id, channel, requestMetadata });
      }
      return { ok: true };
    },
    { stepUp: true, revalidate: "/settings/consents" },
  );
}
