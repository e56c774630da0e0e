import { z } from "zod";
import { AppError } from "../../errors/app-error";
import type { TChargeResult, TPaymentProcessor, TRegisteredCard } from "./payment-processor";

const ZCard = z.object({
  token: z.string().min(1).max(100),
  brand: z.string().min(1).max(30),
  last4: z.string().regex(/^\d{4}$/),
  expMonth: z.number().int().min(1).max(12),
  expYear: z.number().int().min(2000).max(2100),
});
const ZApproved = z.object({ id: z.string().min(1).max(100), status: z.literal("approved") });
const ZDeclined = z.object({ status: z.literal("declined"), reason: z.string().max(100) });

export type HttpPaymentProcessorOptions = {
  /** e.g. http://localhost:3000/partner-sim/payment */
  baseUrl: string;
  apiKey: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
};

/**
 * TPaymentProcessor over the processor's HTTP API (Bearer merchant key): a network error, a
 * timeout, a 5xx or an answer of the wrong shape is PAYMENT_UNAVAILABLE — never "paid".
 */
export function httpPaymentProcessor(o: HttpPaymentProcessorOptions): TPaymentProcessor {
  const doFetch = o.fetch ?? fetch;
  const timeoutMs = o.timeoutMs ?? 5000;
  const post = async (path: string, body: unknown): Promise<{ status: number; json: unknown }> => {
    try {
      const res = await doFetch(`${o.baseUrl}${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${o.apiKey}`, "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: "error",
      });
      const json = await res.json().catch(() => null);
      return { status: res.status, json };
    } catch (cause) {
      throw new AppError("PAYMENT_UNAVAILABLE", { cause });
    }
  };
  const unavailable = (status: number) =>
    new AppError("PAYMENT_UNAVAILABLE", { message: `The payment processor answered ${status}.` });
  return {
    registrationUrl({ returnTo, state }) {
      return `${o.baseUrl}/register?${new URLSearchParams({ return_to: returnTo, state })}`;
    },
    async redeemRegistration(ref): Promise<TRegisteredCard | null> {
      const { status, json } = await post(`/v1/registrations/${encodeURIComponent(ref)}/redeem`, {});
      if (status === 404) return null;
      const card = status === 200 ? ZCard.safeParse(json) : null;
      if (!card?.success) throw unavailable(status);
      return card.data;
    },
    async charge(c): Promise<TChargeResult> {
      const { status, json } = await post("/v1/charges", c);
      if (status === 200) {
        const ok = ZApproved.safeParse(json);
        if (ok.success) return { status: "approved", chargeId: ok.data.id };
      }
      if (status === 402) {
        const no = ZDeclined.safeParse(json);
        if (no.success) return { status: "declined", reason: no.data.reason };
      }
      throw unavailable(status);
    },
  };
}
