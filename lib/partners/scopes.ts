import { z } from "zod";

/**
 * Partner API scopes (`/api/v1`). Municipal staff approve a set per partner
 * (Partner.approvedScopes); each credential holds a subset. Never rename one: stored credentials
 * and partners' configurations refer to them.
 */
export const ZApiScope = z.enum([
  /** Deliver documents to residents' mailboxes. */
  "documents:deliver",
  /** Read delivery status and receipts of the partner's own documents. */
  "documents:status",
  /** Receive documents residents shared with the partner (the original signed data). */
  "documents:receive",
  /** Identity verification (本人確認): verify a resident-signed application. */
  "identity:verify",
  /** Receive the verified four basic facts with an identity verification. */
  "identity:facts",
  /** Eligibility verification (資格確認): link member references and answer card taps. */
  "eligibility:verify",
  /** Member linking (紐付け): propose links to residents (link requests) and read their status. */
  "links:write",
  /** Change verification (変更確認): register signing certificates to watch for revocation. */
  "change:watch",
  /** Register and manage webhook endpoints. */
  "webhooks:manage",
  /** Read residents' emergency medical history at an ambulance or hospital terminal (lib/services/emergency). */
  "emergency:read",
  /** Use the sandbox (test residents and simulated cards only). */
  "sandbox",
  /** A health insurer keeps its members' insurance status (資格情報) current for hospital receptions. */
  "insurance:roster",
  /** A hospital lists the visits received at its kiosks and records their care (points, copay, medications). */
  "hospital:visits",
  /** Ask linked residents to sign an application text with their card (signing requests) and fetch the signature. */
  "signing:request",
  /** Post vehicles' positions and speeds (probe data) for the road board (lib/reports/probe.ts). */
  "probe:write",
  /** Post residents' reports through Open311 GeoReport v2 with an api_key (lib/reports/open311.ts). */
  "reports:write",
]);
export type TApiScope = z.infer<typeof ZApiScope>;

/** All scopes, in declaration order. */
export const API_SCOPES: readonly TApiScope[] = ZApiScope.options;
