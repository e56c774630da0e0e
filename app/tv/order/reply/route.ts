import { z } from "zod";
import { residentRequest } from "@/app/_server/request-context";
import { guardedRoute } from "@/app/_server/route";
import { getDb } from "@/lib/db/client";
import { recordSafetyReply, ZSafetyStatus } from "@/lib/disaster/safety";
import { AppError } from "@/lib/errors/app-error";
import { ZSafeText } from "@/lib/http/safe-text";
import { requireTvFormOrigin, seeOther } from "../../_html/tv-screen";

const ZReply = z.object({ orderId: ZSafeText.pipe(z.uuid()), status: ZSafetyStatus });

/**
 * POST /tv/order/reply (a plain form of /tv/order): 「無事です」 / 「助けが必要です」 from the TV (the
 * blue and red keys): recordSafetyReply with channel TV for the signed-in resident, then the
 * confirmation screen. A refusal (lifted order, another district) returns to the order screen
 * with its code; nobody signed in → the TV's login.
 */
export const POST = guardedRoute(async (request: Request) => {
  requireTvFormOrigin(request);
  const r = await residentRequest(false);
  if (!r) return seeOther(request, "/tv");
  const { resident, requestMetadata } = r;
  const form = await request.formData();
  const parsed = ZReply.safeParse({ orderId: form.get("orderId"), status: form.get("status") });
  if (!parsed.success) return seeOther(request, "/tv/order?error=VALIDATION_FAILED");
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
  return seeOther(request, code ? `/tv/order?error=${code}` : `/tv/order/done?order=${parsed.data.orderId}`);
});
