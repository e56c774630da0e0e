"use server";

import { z } from "zod";
import { residentAction, type TActionState } from "@/app/_server/action";
import { getDb } from "@/lib/db/client";
import { recordSafetyReply, ZSafetyStatus } from "@/lib/disaster/safety";
import { AppError } from "@/lib/errors/app-error";

const ZReply = z.object({ orderId: z.uuid(), status: ZSafetyStatus });

/** 「無事です」/「助けが必要です」 on the web: recordSafetyReply checks the order and her district, and audits. */
export async function safetyReplyAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return residentAction(
    async ({ resident, requestMetadata }) => {
      const form = ZReply.safeParse(Object.fromEntries(formData));
      if (!form.success) throw new AppError("VALIDATION_FAILED");
      const reply = await recordSafetyReply(
        { prisma: await getDb() },
        {
          orderId: form.data.orderId,
          residentId: resident.residentId,
          status: form.data.status,
          channel: "WEB",
          actor: { type: "resident", id: resident.residentId },
          requestMetadata,
        },
      );
      return { ok: true, subject: reply.status };
    },
    { revalidate: "/disaster" },
  );
}
