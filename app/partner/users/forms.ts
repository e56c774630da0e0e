/** The zod schemas of ./actions.ts's forms (a "use server" module exports only actions). */
import { z } from "zod";
import { ZSafeText } from "@/lib/http/safe-text";
import { ZPartnerUserRole } from "@/lib/partners/partner-roles";
import { ZPartnerPassword } from "@/lib/partners/partner-password";

// Field checks for the form's own messages; lib parses again and has the last word.
export const ZAddUserForm = z
  .object({
    email: ZSafeText.trim().min(1, "emailRequired").pipe(z.email("emailInvalid").max(254, "emailInvalid")),
    displayName: ZSafeText.trim().min(1, "displayNameRequired").max(100, "displayNameTooLong"),
    role: ZPartnerUserRole,
    passwordMode: z.enum(["generate", "set"]),
    password: ZSafeText.optional(),
  })
  .superRefine((f, ctx) => {
    if (f.passwordMode !== "set") return;
    // The one password rule (lib/partners/partner-password.ts), reported on the password field.
    for (const issue of ZPartnerPassword.safeParse(f.password ?? "").error?.issues ?? []) {
      ctx.addIssue({ code: "custom", path: ["password"], message: issue.message });
    }
  });

export const ZRoleForm = z.object({ userId: z.uuid(), role: ZPartnerUserRole });

export const ZActiveForm = z.object({ userId: z.uuid(), active: z.enum(["true", "false"]) });

export const ZResetForm = z.object({ userId: z.uuid() });
