/**
 * The simulated processor as a TPaymentProcessor without HTTP, for the demo seed (which runs
 * before the portal serves /partner-sim/payment). Production code uses the HTTP client only.
 */
import type { PrismaClient } from "@/lib/db/client";
import type { TPaymentProcessor } from "@/lib/services/payment/payment-processor";
import { charge, redeemRegistration } from "./processor";

export function inProcessPaymentProcessor(prisma: PrismaClient): TPaymentProcessor {
  return {
    registrationUrl: ({ returnTo, state }) =>
      `/partner-sim/payment/register?${new URLSearchParams({ return_to: returnTo, state })}`,
    redeemRegistration: (ref) => redeemRegistration(prisma, ref),
    async charge(o) {
      const out = await charge(prisma, o);
      if (out.status === "approved") return { status: "approved", chargeId: out.chargeId };
      if (out.status === "declined") return { status: "declined", reason: out.reason };
      throw new Error("idempotency conflict at the simulated processor");
    },
  };
}
