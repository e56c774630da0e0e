import type { TEnv } from "../../env";

/** The simulator's merchant key (partner-sim/payment), used only while the portal talks to the simulator. */
export const SIMULATED_PROCESSOR_DEV_KEY = "sk_test_ichimai_simulated_processor";

/**
 * ichimai's merchant API key at the processor: PAYMENT_PROCESSOR_API_KEY; without it, the
 * simulator's key — only while PAYMENT_PROCESSOR_URL is unset (the simulator behind the portal,
 * as JLIS_BASE_URL unset means the simulated J-LIS). A real processor's URL without a key: none.
 */
export function paymentProcessorApiKey(
  config: Pick<TEnv, "PAYMENT_PROCESSOR_API_KEY" | "PAYMENT_PROCESSOR_URL">,
): string | undefined {
  return config.PAYMENT_PROCESSOR_API_KEY ?? (config.PAYMENT_PROCESSOR_URL ? undefined : SIMULATED_PROCESSOR_DEV_KEY);
}

/** Whether the portal serves the simulated processor: only while it is the processor in use (PAYMENT_PROCESSOR_URL unset). */
export function servesSimulatedProcessor(config: Pick<TEnv, "PAYMENT_PROCESSOR_URL">): boolean {
  return config.PAYMENT_PROCESSOR_URL === undefined;
}

/** The processor's base URL: PAYMENT_PROCESSOR_URL, or the simulator behind the portal. */
export function paymentProcessorUrl(config: Pick<TEnv, "PAYMENT_PROCESSOR_URL" | "PORTAL_ORIGIN">): string {
  return (config.PAYMENT_PROCESSOR_URL ?? `${new URL(config.PORTAL_ORIGIN).origin}/partner-sim/payment`).replace(
    /\/$/,
    "",
  );
}
