/**
 * The narrow interface ichimai needs from a payment processor: where to send a resident to
 * register a card, the one-time redemption of the reference they come back with, and a charge
 * under an idempotency key. The processor holds the card numbers; ichimai only its token.
 * Implemented over HTTP by http-payment-processor.ts.
 */
export type TRegisteredCard = { token: string; brand: string; last4: string; expMonth: number; expYear: number };

export type TChargeResult = { status: "approved"; chargeId: string } | { status: "declined"; reason: string };

export type TPaymentProcessor = {
  /** The processor's hosted registration page, coming back to `returnTo` (a portal path) with `ref` and `state`. */
  registrationUrl(o: { returnTo: string; state: string }): string;
  /** The card behind a registration reference (once); null when the processor does not know it (unknown, used, expired). Throws PAYMENT_UNAVAILABLE. */
  redeemRegistration(ref: string): Promise<TRegisteredCard | null>;
  /** Charges `amountYen`: the same idempotency key never charges twice. Throws PAYMENT_UNAVAILABLE when the processor cannot be reached or fails. */
  charge(o: { token: string; amountYen: number; idempotencyKey: string }): Promise<TChargeResult>;
};
