"use server";

import { redirect } from "next/navigation";
import { residentOrLogin } from "@/app/_server/action";
import { getOidcProvider } from "@/app/_server/oidc";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { abortInteraction, finishConsent } from "@/lib/oidc/interaction";
import { ZSsoConsentForm } from "./forms";

/** The resident's per-claim decision: grant the ticked claims (or cancel), then back to the provider. */
export async function ssoConsentAction(formData: FormData): Promise<void> {
  const form = ZSsoConsentForm.safeParse({
    uid: formData.get("uid"),
    claims: formData.getAll("claim"),
    decision: formData.get("decision"),
  });
  if (!form.success) redirect("/sso/error?code=VALIDATION_FAILED");
  const { uid, claims, decision } = form.data;
  const { resident, channel, requestMetadata } = await residentOrLogin({
    login: `/login?next=${encodeURIComponent(`/sso/interaction/${uid}`)}`,
  });
  let target: string;
  try {
    const provider = await getOidcProvider();
    target =
      decision === "cancel"
        ? await abortInteraction(provider, uid)
        : await finishConsent(await getDb(), provider, {
            uid,
            residentId: resident.residentId,
            approved: claims,
            channel,
            requestMetadata,
          });
  } catch (e) {
    if (e instanceof AppError) redirect(`/sso/error?code=${e.code}`);
    throw e;
  }
  redirect(target);
}
