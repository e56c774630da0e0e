import { Webhook } from "standardwebhooks";

/**
 * The three Standard Webhooks headers for one attempt: `webhook-id` (the delivery id, the same on
 * every attempt), `webhook-timestamp` (seconds, this attempt) and `webhook-signature`
 * (`v1,` + base64 HMAC-SHA256 over `id.timestamp.body` with the base64-decoded `whsec_` secret),
 * computed by the reference `standardwebhooks` library.
 */
export function signWebhook(o: { secret: string; id: string; timestamp: Date; body: string }): {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
} {
  const seconds = Math.floor(o.timestamp.getTime() / 1000);
  return {
    "webhook-id": o.id,
    "webhook-timestamp": String(seconds),
    "webhook-signature": new Webhook(o.secret).sign(o.id, new Date(seconds * 1000), o.body),
  };
}
