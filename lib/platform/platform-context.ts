/**
 * What the verification platform needs from the outside world: the database, the JPKI signing
 * roots, and J-LIS as a registered verifier (docs/jpki.md#registered-verifiers: only registered verifiers — here the
 * platform operator — may query status, links and the latest four facts).
 */
import type { TJlisClient } from "../jlis/client";
import type { PrismaClient } from "../db/client";
import type { TWebhookConnect } from "./webhooks/send-webhook";
import type { TWebhookResolver } from "./webhooks/webhook-address";

/** Webhook delivery settings (Standard Webhooks retries, dead letters). */
export type TWebhookSettings = {
  /** Attempts before a delivery is dead-lettered (default 6). */
  maxAttempts: number;
  /** Delay after the first failure; doubles per attempt (default 30 s), capped at `maxBackoffMs`. */
  backoffBaseMs: number;
  maxBackoffMs: number;
  /** Per-request timeout (default 10 s). */
  timeoutMs: number;
  /** How long a claimed delivery stays claimed before another dispatcher may take it (default 60 s). */
  claimMs: number;
  /** Allow plain http:// and loopback/private-address receivers (development and tests only). */
  allowHttp: boolean;
  /**
   * Register and send to receivers whose host is or resolves to a loopback/private/link-local
   * address (SSRF check at registration and at send time, webhook-address.ts). Unset: the same as
   * `allowHttp` (`webhooksAllowPrivate`).
   */
  allowPrivateAddresses?: boolean;
  /** Host name resolver of the SSRF check (default: `dns.lookup`, all addresses). Tests inject one. */
  resolve?: TWebhookResolver;
  /** Opens the TCP connection to the checked addresses (default: pinned `net.connect`). Tests inject one. */
  connect?: TWebhookConnect;
  /**
   * AES-256-GCM key of the endpoints' signing secrets at rest (SECRETS_ENCRYPTION_KEY). Unset: the
   * key lib/env.ts gives (the fixed development key outside production).
   */
  secretsKey?: Uint8Array;
  /**
   * Earlier keys (SECRETS_ENCRYPTION_KEY_PREVIOUS), only to read secrets sealed before a rotation.
   * Unset: none when `secretsKey` is given, otherwise the ones lib/env.ts gives.
   */
  previousSecretsKeys?: Uint8Array[];
};

/** Everything the platform's use cases take (convention 4, docs/architecture.md#conventions: one options object besides). */
export type TPlatformContext = {
  prisma: PrismaClient;
  /** JPKI digital-signature roots of every generation (docs/jpki.md#roots-and-hierarchies). */
  signTrustAnchors: Uint8Array[];
  /** The JPKI-TEST signing roots: what a TEST credential's identity verifications chain to (the sandbox). */
  testSignTrustAnchors?: Uint8Array[];
  /** J-LIS with the platform's registered-verifier credentials (lib/jlis/client.ts). */
  jlis: TJlisClient;
  webhooks: TWebhookSettings;
  /**
   * Eligibility verification (資格確認) at terminals: the JPKI user-authentication roots and the
   * origin terminal kiosk pages run on (the card signs hash(origin) ‖ hash(nonce), docs/jpki.md#card-login-web-eid).
   */
  eligibility?: { authTrustAnchors: Uint8Array[]; testAuthTrustAnchors?: Uint8Array[]; origin: string };
  now?: () => Date;
};

export const DEFAULT_WEBHOOK_SETTINGS: TWebhookSettings = {
  maxAttempts: 6,
  backoffBaseMs: 30_000,
  maxBackoffMs: 6 * 3_600_000,
  timeoutMs: 10_000,
  claimMs: 60_000,
  allowHttp: false,
};

/** The current time of a context. */
export function nowOf(ctx: Pick<TPlatformContext, "now">): Date {
  return ctx.now ? ctx.now() : new Date();
}
