"use server";

import { reissuePartnerSession } from "@/app/_server/auth";
import { formRefusal, partnerConsoleAction, type TActionState } from "@/app/_server/action";
import { getDb } from "@/lib/db/client";
import { fieldErrorsOf } from "@/lib/errors/zod-issues";
import { SAFE_TEXT_MESSAGE } from "@/lib/http/safe-text";
import { changePartnerUserPassword } from "@/lib/partners/change-partner-user-password";
import { ZChangePasswordFields } from "./forms";

/** Lib's refusals that belong to one field of the form. */
const FIELD_OF_CODE: Record<string, [string, string]> = {
  PARTNER_PASSWORD_CURRENT_INVALID: ["currentPassword", "currentPasswordInvalid"],
  PARTNER_PASSWORD_UNCHANGED: ["newPassword", "passwordUnchanged"],
};

/**
 * Changes the logged-in console user's own password, then re-issues this browser's session with
 * the new session version so that it stays logged in while every other session of the user ends.
 */
export async function changePasswordAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return partnerConsoleAction(
    async ({ partner, partnerUser, requestMetadata }) => {
      const form = {
        currentPassword: String(formData.get("currentPassword") ?? ""),
        newPassword: String(formData.get("newPassword") ?? ""),
        confirmPassword: String(formData.get("confirmPassword") ?? ""),
      };
      const { error } = ZChangePasswordFields.safeParse(form);
      // The form has a text per message key; the safe-text refusal's message is no key.
      const fieldErrors = fieldErrorsOf(error?.issues ?? [], (m) => (m === SAFE_TEXT_MESSAGE ? "invalid" : m));
      if (!fieldErrors.newPassword && form.confirmPassword !== form.newPassword) {
        fieldErrors.confirmPassword = "passwordMismatch";
      }
      if (Object.keys(fieldErrors).length > 0) return formRefusal(fieldErrors, error);

      const done = await changePartnerUserPassword(await getDb(), {
        partnerId: partner.partnerId,
        partnerUser,
        currentPassword: form.currentPassword,
        newPassword: form.newPassword,
        requestMetadata,
      });
      const kept = await reissuePartnerSession(partner.partnerUserId, done.sessionVersion);
      return { ok: true, ...(kept ? {} : { subject: "loginAgain" }) };
    },
    {
      fieldErrorsOf: (err) => {
        const field = FIELD_OF_CODE[err.code];
        return field ? { [field[0]]: field[1] } : undefined;
      },
    },
  );
}
