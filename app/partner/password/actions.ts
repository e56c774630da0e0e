"use server";

import { z } from "zod";
import { reissuePartnerSession } from "@/app/_server/auth";
import { requirePartner } from "@/app/_server/session";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { changePartnerUserPassword } from "@/lib/partners/change-partner-user-password";
import { ZPartnerPassword } from "@/lib/partners/partner-password";
import { consoleRequestMetadata, type TActionState } from "../_lib/request-context";

// Field checks for the form's own messages; lib parses again and has the last word.
const ZChangePasswordFields = {
  currentPassword: z.string().min(1, "currentPasswordRequired").max(1024, "invalid"),
  newPassword: ZPartnerPassword,
};

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
  const at = Date.now();
  const partner = await requirePartner();
  if (!partner) return { ok: false, code: "UNAUTHENTICATED", at };
  const form = {
    currentPassword: String(formData.get("currentPassword") ?? ""),
    newPassword: String(formData.get("newPassword") ?? ""),
    confirmPassword: String(formData.get("confirmPassword") ?? ""),
  };
  const fieldErrors: Record<string, string> = {};
  for (const [field, schema] of Object.entries(ZChangePasswordFields)) {
    const issue = schema.safeParse(form[field as keyof typeof form]).error?.issues[0];
    if (issue) fieldErrors[field] = issue.message;
  }
  if (!fieldErrors.newPassword && form.confirmPassword !== form.newPassword) {
    fieldErrors.confirmPassword = "passwordMismatch";
  }
  if (Object.keys(fieldErrors).length > 0) return { ok: false, code: "VALIDATION_FAILED", fieldErrors, at };

  try {
    const done = await changePartnerUserPassword(await getDb(), {
      partnerId: partner.partnerId,
      partnerUser: { id: partner.partnerUserId, role: partner.role },
      currentPassword: form.currentPassword,
      newPassword: form.newPassword,
      requestMetadata: await consoleRequestMetadata(),
    });
    const kept = await reissuePartnerSession(partner.partnerUserId, done.sessionVersion);
    return { ok: true, at, ...(kept ? {} : { subject: "loginAgain" }) };
  } catch (err) {
    if (err instanceof AppError) {
      const field = FIELD_OF_CODE[err.code];
      return { ok: false, code: err.code, at, ...(field ? { fieldErrors: { [field[0]]: field[1] } } : {}) };
    }
    if (err instanceof z.ZodError) return { ok: false, code: "VALIDATION_FAILED", at };
    throw err;
  }
}
