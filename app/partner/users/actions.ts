"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requirePartner, type TPartnerSession } from "@/app/_server/session";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { changePartnerUserRole } from "@/lib/partners/change-partner-user-role";
import { createPartnerUser } from "@/lib/partners/create-partner-user";
import { assertPartnerRole, ZPartnerUserRole } from "@/lib/partners/partner-roles";
import { ZPartnerPassword } from "@/lib/partners/partner-password";
import { resetPartnerUserPassword } from "@/lib/partners/reset-partner-user-password";
import { setPartnerUserActive } from "@/lib/partners/set-partner-user-active";
import { consoleRequestMetadata, type TActionState } from "../_lib/request-context";

// Field checks for the form's own messages; lib parses again and has the last word.
const ZAddUserForm = z
  .object({
    email: z.string().trim().min(1, "emailRequired").pipe(z.email("emailInvalid").max(254, "emailInvalid")),
    displayName: z.string().trim().min(1, "displayNameRequired").max(100, "displayNameTooLong"),
    role: ZPartnerUserRole,
    passwordMode: z.enum(["generate", "set"]),
    password: z.string().optional(),
  })
  .superRefine((f, ctx) => {
    if (f.passwordMode !== "set") return;
    // The one password rule (lib/partners/partner-password.ts), reported on the password field.
    for (const issue of ZPartnerPassword.safeParse(f.password ?? "").error?.issues ?? []) {
      ctx.addIssue({ code: "custom", path: ["password"], message: issue.message });
    }
  });
const ZRoleForm = z.object({ userId: z.uuid(), role: ZPartnerUserRole });
const ZActiveForm = z.object({ userId: z.uuid(), active: z.enum(["true", "false"]) });
const ZResetForm = z.object({ userId: z.uuid() });

const acting = (p: TPartnerSession) => ({ id: p.partnerUserId, role: p.role });

const FIELD_MESSAGES = new Set([
  "emailRequired",
  "emailInvalid",
  "displayNameRequired",
  "displayNameTooLong",
  "passwordTooShort",
  "passwordTooLong",
]);

/**
 * Runs a users-page action for the logged-in partner user; every error becomes a stable code.
 * The role is checked (and a refusal audited) before the form is even read, so a DEVELOPER
 * posting by hand gets PARTNER_ROLE_FORBIDDEN whatever the body; lib checks it again.
 */
async function run(fn: (p: TPartnerSession) => Promise<Omit<TActionState, "at">>): Promise<TActionState> {
  const at = Date.now();
  const partner = await requirePartner();
  if (!partner) return { ok: false, code: "UNAUTHENTICATED", at };
  try {
    await assertPartnerRole(await getDb(), {
      partnerId: partner.partnerId,
      partnerUser: acting(partner),
      action: "user.manage",
      requestMetadata: await consoleRequestMetadata(),
    });
    const result = await fn(partner);
    revalidatePath("/partner/users");
    return { ...result, at };
  } catch (err) {
    if (err instanceof AppError) {
      const fieldErrors = err.code === "PARTNER_USER_EMAIL_TAKEN" ? { email: "emailTaken" } : undefined;
      return { ok: false, code: err.code, at, ...(fieldErrors ? { fieldErrors } : {}) };
    }
    if (err instanceof z.ZodError) return { ok: false, code: "VALIDATION_FAILED", at };
    throw err;
  }
}

export async function addUserAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return run(async (partner) => {
    const parsed = ZAddUserForm.safeParse({
      email: formData.get("email") ?? "",
      displayName: formData.get("displayName") ?? "",
      role: formData.get("role"),
      passwordMode: formData.get("passwordMode"),
      password: formData.get("password") ?? undefined,
    });
    if (!parsed.success) {
      const fieldErrors: Record<string, string> = {};
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? "form");
        fieldErrors[field] ??= FIELD_MESSAGES.has(issue.message) ? issue.message : "invalid";
      }
      return { ok: false, code: "VALIDATION_FAILED", fieldErrors };
    }
    const form = parsed.data;
    const created = await createPartnerUser(await getDb(), {
      partnerId: partner.partnerId,
      partnerUser: acting(partner),
      email: form.email,
      displayName: form.displayName,
      role: form.role,
      ...(form.passwordMode === "set" ? { password: form.password } : {}),
      requestMetadata: await consoleRequestMetadata(),
    });
    return {
      ok: true,
      subject: created.user.email,
      ...(created.initialPassword ? { secret: { id: created.user.email, value: created.initialPassword } } : {}),
    };
  });
}

export async function changeRoleAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return run(async (partner) => {
    const form = ZRoleForm.parse(Object.fromEntries(formData));
    const user = await changePartnerUserRole(await getDb(), {
      partnerId: partner.partnerId,
      partnerUser: acting(partner),
      targetUserId: form.userId,
      role: form.role,
      requestMetadata: await consoleRequestMetadata(),
    });
    return { ok: true, subject: user.email };
  });
}

export async function setActiveAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return run(async (partner) => {
    const form = ZActiveForm.parse(Object.fromEntries(formData));
    const user = await setPartnerUserActive(await getDb(), {
      partnerId: partner.partnerId,
      partnerUser: acting(partner),
      targetUserId: form.userId,
      active: form.active === "true",
      requestMetadata: await consoleRequestMetadata(),
    });
    return { ok: true, subject: user.email };
  });
}

/** Resets another user's password to a generated one, returned once for the owner to pass on. */
export async function resetPasswordAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return run(async (partner) => {
    const form = ZResetForm.parse(Object.fromEntries(formData));
    const done = await resetPartnerUserPassword(await getDb(), {
      partnerId: partner.partnerId,
      partnerUser: acting(partner),
      targetUserId: form.userId,
      requestMetadata: await consoleRequestMetadata(),
    });
    return { ok: true, subject: done.user.email, secret: { id: done.user.email, value: done.password } };
  });
}
