import { env } from "../../env";
import { AppError } from "../../errors/app-error";
import { httpPaymentProcessor } from "./http-payment-processor";
import type { TPaymentProcessor } from "./payment-processor";
import { paymentProcessorApiKey, paymentProcessorUrl } from "./processor-config";

/**
 * The processor of this process (PAYMENT_PROCESSOR_URL / PAYMENT_PROCESSOR_API_KEY; the simulator
 * behind the portal while PAYMENT_PROCESSOR_URL is unset). A real processor without a key: every call is PAYMENT_UNAVAILABLE.
 */
export function getPaymentProcessor(): TPaymentProcessor {
  const config = env();
  const apiKey = paymentProcessorApiKey(config);
  if (!apiKey) {
    const unavailable = () => {
      throw new AppError("PAYMENT_UNAVAILABLE", { message: "PAYMENT_PROCESSOR_API_KEY is not set." });
    };
    return { registrationUrl: unavailable, redeemRegistration: unavailable, charge: unavailable };
  }
  return httpPaymentProcessor({ baseUrl: paymentProcessorUrl(config), apiKey });
}
