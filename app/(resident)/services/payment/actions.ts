"use server";

import { redirect } from "next/navigation";
import { residentOrLogin } from "@/app/_server/action";
import { getDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";
import { getPaymentProcessor } from "@/lib/services/payment/get-payment-processor";
import { startPaymentLink, unlinkPaymentMethod } from "@/lib/services/payment/payment-methods";

const LOGIN = `/login?next=${encodeURIComponent("/services/payment")}`;

/** Sends the resident to the payment processor's card registration page (a fresh card login first). */
export async function linkPaymentMethodAction(): Promise<void> {
  const { resident } = await residentOrLogin({ stepUp: true, login: LOGIN });
  let target: string;
  try {
    ({ redirectTo: target } = await startPaymentLink(await getDb(), {
      residentId: resident.residentId,
      processorSlug: env().PAYMENT_PROCESSOR_PARTNER,
      processor: getPaymentProcessor(),
    }));
  } catch (err) {
    if (err instanceof AppError) redirect(`/services/payment?error=${err.code}`);
    throw err;
  }
  redirect(target);
}

/** Unlinks the resident's payment method (consent.revoked). */
export async function unlinkPaymentMethodAction(): Promise<void> {
  const { resident, channel, requestMetadata } = await residentOrLogin({ stepUp: true, login: LOGIN });
  try {
    await unlinkPaymentMethod(await getDb(), { residentId: resident.residentId, channel, requestMetadata });
  } catch (err) {
    if (err instanceof AppError) redirect(`/services/payment?error=${err.code}`);
    throw err;
  }
  redirect("/services/payment?done=unlinked");
}
