/**
 * Browser side of link on first tap (lib/links/terminal-link.ts): the staff's member number →
 * POST /api/terminal/links (the consent statement and its challenge; binding in the HttpOnly tap
 * cookie) → the person reads it and consents with the card and PIN: the card signs the challenge,
 * which is the statement's hash → POST /api/terminal/links/confirm → linked.
 */
import { postJson, type TTapOptions, withCardToken } from "./terminal-tap-flow";

/** What the person consents to, as the kiosk shows it. */
export type TLinkConsent = {
  nonce: string;
  origin: string;
  expiresAt: string;
  partnerRef: string;
  purposes: string[];
  purposeText: string;
};

export type TLinkResult = { linked: true; member: { reference: string; linkedAt: string }; checkedAt: string };

/** Step 1: the statement for the member number (rejects with the CardLoginError of the refusal's code). */
export function startTerminalLink(partnerRef: string): Promise<TLinkConsent> {
  return postJson<TLinkConsent>("/api/terminal/links", { partnerRef });
}

/** Step 2: the card signs the consent challenge; the server makes the link. */
export function consentWithCard(o: TTapOptions, consent: TLinkConsent): Promise<TLinkResult> {
  return withCardToken(
    o,
    async () => ({ nonce: consent.nonce, origin: consent.origin }),
    (c, token) => postJson<TLinkResult>("/api/terminal/links/confirm", { nonce: c.nonce, token }),
  );
}
