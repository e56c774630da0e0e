/**
 * What the verification platform needs from the outside world: the database, the JPKI signing
 * roots, and J-LIS as a registered verifier (JPKI.md §3: only registered verifiers — here the
 * platform operator — may query status, links and the latest four facts).
 */
import { jlisFetch } from "../jlis/client";
import type { PrismaClient } from "../db/client";
import type { TWebhookConnect } from "./webhooks/send-webhook";
import type { TWebhookResolver } from "./webhooks/webhook-address";

/** J-LIS as the platform reaches it: a credentialed fetch, the base URL, CRL paths by issuer. */
export type TPlatformJlis = {
  /** Base URL of the J-LIS service (e.g. `http://127.0.0.1:4010/jlis`), no trailing slash. */
  baseUrl: string;
  /** `fetch` that adds the registered-verifier credentials. */
  fetch: typeof fetch;
  /** Delegated OCSP responder certificates (RFC 6960 §4.2.2.2). */
  responderCertificates: Uint8Array[];
  /** SHA-256 (hex) of a CA certificate → its full CRL path under `${baseUrl}/crl/`. */
  crlPaths: Map<string, string>;
};

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

/** Everything the platform's use cases take (STYLE.md convention 4: one options object besides). */
export type TPlatformContext = {
  prisma: PrismaClient;
  /** JPKI digital-signature roots of every generation (JPKI.md §1.1). */
  signTrustAnchors: Uint8Array[];
  jlis: TPlatformJlis;
  webhooks: TWebhookSettings;
  /**
   * Eligibility verification (資格確認) at terminals: the JPKI user-authentication roots and the
   * origin terminal kiosk pages run on (the card signs hash(origin) ‖ hash(nonce), JPKI.md §6).
   */
  eligibility?: { authTrustAnchors: Uint8Array[]; origin: string };
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

/** SHA-256 (hex) of DER, the key the platform uses for CA certificates (re-exported for lib/platform/identity and eligibility). */
export { sha256Hex } from "../crypto/sha256";

/** Builds {@link TPlatformJlis} from a base URL and verifier credentials. */
export function createPlatformJlis(o: {
  baseUrl: string;
  verifierId?: string;
  verifierSecret?: string;
  responderCertificates?: Uint8Array[];
  crlPaths?: Map<string, string>;
  fetch?: typeof fetch;
}): TPlatformJlis {
  return {
    baseUrl: o.baseUrl.replace(/\/+$/, ""),
    fetch: jlisFetch({
      baseUrl: o.baseUrl,
      verifierId: o.verifierId,
      verifierSecret: o.verifierSecret,
      fetch: o.fetch,
    }),
    responderCertificates: o.responderCertificates ?? [],
    crlPaths: o.crlPaths ?? new Map(),
  };
}

/** The current time of a context. */
export function nowOf(ctx: Pick<TPlatformContext, "now">): Date {
  return ctx.now ? ctx.now() : new Date();
}
