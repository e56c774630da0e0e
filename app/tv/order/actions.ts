"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { tvResidentOrLogin } from "@/app/_server/action";
import { getDb } from "@/lib/db/client";
import { recordSafetyReply, ZSafetyStatus } from "@/lib/disaster/safety";
import { AppError } from "@/lib/errors/app-error";
import { ZSafeText } from "@/lib/http/safe-text";

const ZReply = z.object({ orderId: ZSafeText.pipe(z.uuid()), status: ZSafetyStatus });

/**
 * 「無事です」 / 「助けが必要です」 from the TV (the blue and red keys): recordSafetyReply with channel
 * TV for the signed-in resident, then the confirmation screen. A refusal (lifted order, another
 * district) returns to the order screen with its code.
 */
export async function tvSafetyReplyAction(formData: FormData): Promise<void> {
  const { resident, requestMetadata } = await tvResidentOrLogin();
  const parsed = ZReply.safeParse({ orderId: formData.get("orderId"), status: formData.get("status") });
  if (!parsed.success) redirect("/tv/order?error=VALIDATION_FAILED");
  let code: string | null = null;
  try {
    await recordSafetyReply(
      { prisma: await getDb() },
      {
        orderId: parsed.data.orderId,
        residentId: resident.residentId,
        status: parsed.data.status,
        channel: "TV",
        actor: { type: "resident", id: resident.residentId },
        requestMetadata,
      },
    );
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    code = e.code;
  }
  redirect(code ? `/tv/order?error=${code}` : `/tv/order/done?order=${parsed.data.orderId}`);
}
