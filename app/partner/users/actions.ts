"use server";

import { formRefusal, partnerConsoleAction, type TActionState } from "@/app/_server/action";
import { getDb } from "@/lib/db/client";
import type { AppError } from "@/lib/errors/app-error";
import { fieldErrorsOf } from "@/lib/errors/zod-issues";
import { changePartnerUserRole } from "@/lib/partners/change-partner-user-role";
import { createPartnerUser } from "@/lib/partners/create-partner-user";
import { resetPartnerUserPassword } from "@/lib/partners/reset-partner-user-password";
import { setPartnerUserActive } from "@/lib/partners/set-partner-user-active";
import { ZActiveForm, ZAddUserForm, ZResetForm, ZRoleForm } from "./forms";

const FIELD_MESSAGES = new Set([
  "emailRequired",
  "emailInvalid",
  "displayNameRequired",
  "displayNameTooLong",
  "passwordTooShort",
  "passwordTooLong",
]);

/**
 * Every action runs for the logged-in partner user with the role checked (and a refusal audited)
 * before the form is even read, so a DEVELOPER posting by hand gets PARTNER_ROLE_FORBIDDEN
 * whatever the body; lib checks it again.
 */
const USERS_ACTION = {
  role: "user.manage",
  revalidate: "/partner/users",
  fieldErrorsOf: (err: AppError) => (err.code === "PARTNER_USER_EMAIL_TAKEN" ? { email: "emailTaken" } : undefined),
} as const;

export async function addUserAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return partnerConsoleAction(async ({ partner, partnerUser, requestMetadata }) => {
    const parsed = ZAddUserForm.safeParse({
      email: formData.get("email") ?? "",
      displayName: formData.get("displayName") ?? "",
      role: formData.get("role"),
      passwordMode: formData.get("passwordMode"),
      password: formData.get("password") ?? undefined,
    });
    if (!parsed.success) {
      const fieldErrors = fieldErrorsOf(parsed.error, (m) => (FIELD_MESSAGES.has(m) ? m : "invalid"));
      return formRefusal(fieldErrors, parsed.error);
    }
    const form = parsed.data;
    const created = await createPartnerUser(await getDb(), {
      partnerId: partner.partnerId,
      partnerUser,
      email: form.email,
      displayName: form.displayName,
      role: form.role,
      ...(form.passwordMode === "set" ? { password: form.password } : {}),
      requestMetadata,
    });
    return {
      ok: true,
      subject: created.user.email,
      ...(created.initialPassword ? { secret: { id: created.user.email, value: created.initialPassword } } : {}),
    };
  }, USERS_ACTION);
}

export async function changeRoleAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return partnerConsoleAction(async ({ partner, partnerUser, requestMetadata }) => {
    const form = ZRoleForm.parse(Object.fromEntries(formData));
    const user = await changePartnerUserRole(await getDb(), {
      partnerId: partner.partnerId,
      partnerUser,
      targetUserId: form.userId,
      role: form.role,
      requestMetadata,
    });
    return { ok: true, subject: user.email };
  }, USERS_ACTION);
}

export async function setActiveAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return partnerConsoleAction(async ({ partner, partnerUser, requestMetadata }) => {
    const form = ZActiveForm.parse(Object.fromEntries(formData));
    const user = await setPartnerUserActive(await getDb(), {
      partnerId: partner.partnerId,
      partnerUser,
      targetUserId: form.userId,
      active: form.active === "true",
      requestMetadata,
    });
    return { ok: true, subject: user.email };
  }, USERS_ACTION);
}

/** Resets another user's password to a generated one, returned once for the owner to pass on. */
export async function resetPasswordAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return partnerConsoleAction(async ({ partner, partnerUser, requestMetadata }) => {
    const form = ZResetForm.parse(Object.fromEntries(formData));
    const done = await resetPartnerUserPassword(await getDb(), {
      partnerId: partner.partnerId,
      partnerUser,
      targetUserId: form.userId,
      requestMetadata,
    });
    return { ok: true, subject: done.user.email, secret: { id: done.user.email, value: done.password } };
  }, USERS_ACTION);
}
