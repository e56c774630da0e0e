import { guardedRoute } from "@/app/_server/route";
import { residentRequest } from "@/app/_server/request-context";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { getPaymentProcessor } from "@/lib/services/payment/get-payment-processor";
import { completePaymentLink } from "@/lib/services/payment/payment-methods";

export const dynamic = "force-dynamic";

const see = (location: string) => new Response(null, { status: 303, headers: { Location: location } });
const back = (query: string) => see(`/services/payment?${query}`);

// GET /services/payment/return?ref=…&state=… – the payment processor sends the resident back here
// after registering a card: the state must be theirs, the ref is redeemed once for the token.
export const GET = guardedRoute(async (request: Request) => {
  const r = await residentRequest(true);
  if (!r) return see(`/login?next=${encodeURIComponent("/services/payment")}`);
  const url = new URL(request.url);
  if (url.searchParams.get("error") === "cancelled") return back("done=cancelled");
  try {
    await completePaymentLink(await getDb(), {
      residentId: r.resident.residentId,
      state: url.searchParams.get("state") ?? "",
      ref: url.searchParams.get("ref") ?? "",
      processor: getPaymentProcessor(),
      channel: r.channel,
      requestMetadata: r.requestMetadata,
    });
  } catch (err) {
    if (err instanceof AppError) return back(`error=${err.code}`);
    throw err;
  }
  return back("done=linked");
});
