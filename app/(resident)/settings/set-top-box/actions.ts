"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { residentOrLogin } from "@/app/_server/action";
import { getDb } from "@/lib/db/client";
import { optInSetTopBox, withdrawSetTopBox } from "@/lib/disaster/set-top-box";
import { AppError } from "@/lib/errors/app-error";
import { ZSafeText } from "@/lib/http/safe-text";

const ZForm = z.object({ boxId: ZSafeText.pipe(z.uuid()), choice: z.enum(["opt-in", "withdraw"]) });

/**
 * Opt in to / withdraw from the at-home estimate of the household's set-top box (a consent of the
 * resident's own; withdrawing deletes the box's activity when no one else in the household
 * consents). Card step-up, like the consent ledger. Answers with a redirect carrying the outcome.
 */
export async function setTopBoxConsentAction(formData: FormData): Promise<void> {
  const { resident, channel, requestMetadata } = await residentOrLogin({
    stepUp: true,
    login: "/login?next=/settings/set-top-box",
  });
  const form = ZForm.safeParse({ boxId: formData.get("boxId"), choice: formData.get("choice") });
  if (!form.success) redirect("/settings/set-top-box?error=VALIDATION_FAILED");
  const ctx = { prisma: await getDb() };
  const o = {
    residentId: resident.residentId,
    boxId: form.data.boxId,
    requestMetadata,
    channel: channel === "tv" ? ("tv" as const) : ("pc" as const),
  };
  let target: string;
  try {
    if (form.data.choice === "opt-in") {
      await optInSetTopBox(ctx, o);
      target = "/settings/set-top-box?done=opted-in";
    } else {
      const r = await withdrawSetTopBox(ctx, o);
      target = `/settings/set-top-box?done=withdrawn&deleted=${r.deletedHeartbeats}`;
    }
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    target = `/settings/set-top-box?error=${e.code}`;
  }
  redirect(target);
}
