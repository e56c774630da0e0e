import type { TEnv } from "../../env";

/** The simulator's merchant key in development and test (partner-sim/payment); never in production. */
export const SIMULATED_PROCESSOR_DEV_KEY = "sk_test_ichimai_simulated_processor";

/** ichimai's merchant API key at the processor: PAYMENT_PROCESSOR_API_KEY, or the simulator's outside production. */
export function paymentProcessorApiKey(
  config: Pick<TEnv, "PAYMENT_PROCESSOR_API_KEY" | "NODE_ENV">,
): string | undefined {
  return (
    config.PAYMENT_PROCESSOR_API_KEY ?? (config.NODE_ENV === "production" ? undefined : SIMULATED_PROCESSOR_DEV_KEY)
  );
}

/** The processor's base URL: PAYMENT_PROCESSOR_URL, or the simulator behind the portal. */
export function paymentProcessorUrl(config: Pick<TEnv, "PAYMENT_PROCESSOR_URL" | "PORTAL_ORIGIN">): string {
  return (config.PAYMENT_PROCESSOR_URL ?? `${new URL(config.PORTAL_ORIGIN).origin}/partner-sim/payment`).replace(
    /\/$/,
    "",
  );
}
