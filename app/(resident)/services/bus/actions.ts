"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { residentOrLogin } from "@/app/_server/action";
import { AppError } from "@/lib/errors/app-error";
import { ZSafeText } from "@/lib/http/safe-text";
import { getBusContext } from "@/lib/services/bus/get-bus-context";
import { purchaseBusTicket } from "@/lib/services/bus/purchase-ticket";
import { setBusEligibilityShare } from "@/lib/services/bus/share-eligibility";

const PAGE = "/services/bus";

function back(query: Record<string, string>): never {
  redirect(`${PAGE}?${new URLSearchParams(query).toString()}`);
}

/** The redirect for a refusal: its stable code shown on the page; anything else is thrown. */
function refusal(e: unknown): Record<string, string> {
  if (e instanceof AppError) return { error: e.code };
  if (e instanceof z.ZodError) return { error: "VALIDATION_FAILED" };
  throw e;
}

const ZBuyForm = z.object({ operatorId: z.uuid(), productCode: ZSafeText.pipe(z.string().min(1).max(40)) });

/**
 * The resident buys a ticket book or pass; payment is recorded as made at the counter (or to the
 * driver). The discount's eligibility is checked again in lib/services/bus/purchase-ticket.ts.
 */
export async function buyBusProductAction(formData: FormData): Promise<void> {
  const { resident, channel, requestMetadata } = await residentOrLogin({ login: `/login?next=${PAGE}` });
  let query: Record<string, string>;
  try {
    const form = ZBuyForm.parse(Object.fromEntries(formData));
    await purchaseBusTicket(await getBusContext(), {
      residentId: resident.residentId,
      partnerId: form.operatorId,
      productCode: form.productCode,
      issuedBy: "resident",
      channel: channel === "tv" ? "tv" : channel === "phone" ? "phone" : "pc",
      requestMetadata,
    });
    query = { done: "purchased" };
  } catch (e) {
    query = refusal(e);
  }
  revalidatePath(PAGE);
  back(query);
}

const ZShareForm = z.object({
  operatorId: z.uuid(),
  predicate: z.enum(["AGE_70_PLUS", "DISABILITY"]),
  share: z.enum(["1", "0"]),
});

/** The resident agrees (or stops agreeing) that the operator may learn one eligibility predicate. */
export async function shareBusEligibilityAction(formData: FormData): Promise<void> {
  const { resident, channel, requestMetadata } = await residentOrLogin({ login: `/login?next=${PAGE}` });
  let query: Record<string, string>;
  try {
    const form = ZShareForm.parse(Object.fromEntries(formData));
    await setBusEligibilityShare((await getBusContext()).prisma, {
      residentId: resident.residentId,
      partnerId: form.operatorId,
      predicate: form.predicate,
      share: form.share === "1",
      channel: channel === "tv" ? "tv" : channel === "phone" ? "phone" : "pc",
      requestMetadata,
    });
    query = { done: form.share === "1" ? "shared" : "unshared" };
  } catch (e) {
    query = refusal(e);
  }
  revalidatePath(PAGE);
  back(query);
}
