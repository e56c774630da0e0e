"use server";

import { anonymousAction, formRefusal, type TActionState } from "@/app/_server/action";
import { getDb } from "@/lib/db/client";
import { acceptPartnerInvitation } from "@/lib/partners/onboard-partner";
import { ZPartnerPassword } from "@/lib/partners/partner-password";
import { ZAcceptInvitationForm } from "./forms";

/** The invited owner sets their password (the link is used once); then they sign in at /partner/login. */
export async function acceptInvitationAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return anonymousAction(async ({ requestMetadata }) => {
    const form = ZAcceptInvitationForm.parse(Object.fromEntries(formData));
    const rule = ZPartnerPassword.safeParse(form.password);
    if (!rule.success) {
      const m = rule.error.issues[0]?.message;
      return formRefusal({ password: m === "passwordTooShort" || m === "passwordTooLong" ? m : "invalid" }, rule.error);
    }
    if (form.password !== form.confirmPassword) return formRefusal({ confirmPassword: "mismatch" });
    const { email } = await acceptPartnerInvitation(await getDb(), {
      token: form.token,
      password: form.password,
      requestMetadata,
    });
    return { ok: true, subject: email };
  });
}
