import path from "node:path";
import { z } from "zod";
import { issueDetails } from "./errors/zod-issues";

/**
 * All configuration, validated once. Nothing else in ichimai reads process.env.
 * A bad value stops start-up with a message that names the variable.
 */
const ZPort = z.coerce.number().int().min(1).max(65535);
const ZBool = z
  .enum(["1", "0", "true", "false", "yes", "no", ""])
  .transform((v) => v === "1" || v === "true" || v === "yes");

export const ZEnvSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  /** External PostgreSQL. Empty or unset: an embedded PostgreSQL under EMBEDDED_PG_DIR. */
  DATABASE_URL: z
    .string()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), "must start with postgres:// or postgresql://"),
  EMBEDDED_PG_DIR: z.string().default(".data/pg"),
  EMBEDDED_PG_PORT: ZPort.default(54329),
  /** Public origin of the portal, e.g. http://localhost:3000 (also next-auth's NEXTAUTH_URL). */
  PORTAL_ORIGIN: z.url().default("http://localhost:3000"),
  NEXTAUTH_SECRET: z.string().min(16).optional(),
  /** AES-256-GCM key for secrets kept at rest (webhook signing secrets): base64 of 32 bytes. Required in production. */
  SECRETS_ENCRYPTION_KEY: z
    .string()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine(
      (v) => v === undefined || (/^[A-Za-z0-9+/]{43}=$/.test(v) && Buffer.from(v, "base64").length === 32),
      "must be base64 of 32 random bytes (openssl rand -base64 32)",
    ),
  /**
   * Earlier SECRETS_ENCRYPTION_KEY values (comma-separated base64 of 32 bytes), used only to read
   * secrets sealed before a key rotation; the upgrade at platform start re-seals them under the
   * current key. Remove once it has run (lib/platform/README.md, "Rotating SECRETS_ENCRYPTION_KEY").
   */
  SECRETS_ENCRYPTION_KEY_PREVIOUS: z
    .string()
    .default("")
    .transform((v) =>
      v
        .split(",")
        .map((k) => k.trim())
        .filter(Boolean),
    )
    .refine(
      (keys) => keys.every((k) => /^[A-Za-z0-9+/]{43}=$/.test(k) && Buffer.from(k, "base64").length === 32),
      "must be comma-separated base64 of 32 bytes each (earlier SECRETS_ENCRYPTION_KEY values)",
    ),
  /**
   * Append-only JSON-lines file of audit-chain anchors (lib/audit/audit-anchor.ts). In production,
   * storage the database's operators cannot rewrite (another volume or host, WORM, log shipping).
   */
  AUDIT_ANCHOR_FILE: z.string().default(".data/audit-anchors.jsonl"),
  /** Where the simulated J-LIS keeps its CA keys and virtual cards. */
  JLIS_DATA_DIR: z.string().default(".data/jlis"),
  /** J-LIS service (OCSP, CRLs, linking) the portal verifies against. Unset: `${PORTAL_ORIGIN}/jlis` (the simulator). */
  JLIS_BASE_URL: z
    .string()
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(z.url().optional()),
  /** The portal's registered-verifier credentials at J-LIS (docs/jpki.md#registered-verifiers); unset: none sent. */
  JLIS_VERIFIER_ID: z.string().min(1).optional(),
  JLIS_VERIFIER_SECRET: z.string().min(1).optional(),
  /** Card agent listen address (webcrypto-socket default). */
  CARD_AGENT_PORT: ZPort.default(31337),
  CARD_AGENT_DIR: z.string().default(".data/card-agent"),
  /** UNSAFE test mode: the agent approves allowed origins and takes PINs from CARD_AGENT_TEST_PIN. */
  CARD_AGENT_TEST_MODE: ZBool.default(false),
  /** Portal origins the card agent serves (comma-separated, exact match); others get 403. */
  CARD_AGENT_ALLOWED_ORIGINS: z
    .string()
    .default("http://localhost:3000")
    .transform((v) =>
      v
        .split(",")
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.url()).min(1)),
  /** Soft back-end: each ichimai-virtual-card/1 file in this directory is one inserted card. */
  CARD_AGENT_CARDS_DIR: z.string().default(".data/cards"),
  /** Enable the soft back-end (virtual card files). */
  CARD_AGENT_SOFT: ZBool.default(true),
  /** PKCS#11 back-end: module path (OpenSC: /usr/lib/x86_64-linux-gnu/opensc-pkcs11.so). Unset: disabled. */
  CARD_AGENT_PKCS11_LIBRARY: z.string().optional(),
  /** UNSAFE, test mode only: PIN for every slot, or per slot (auth/sign) below. */
  CARD_AGENT_TEST_PIN: z.string().optional(),
  /** Look of the agent's /ui page: "tv" is the 10-foot mode of a set-top box (remote keys only); `/ui?ui=` overrides it per page. */
  CARD_AGENT_UI: z.enum(["desktop", "tv"]).default("desktop"),
  CARD_AGENT_TEST_AUTH_PIN: z.string().optional(),
  CARD_AGENT_TEST_SIGN_PIN: z.string().optional(),
  /**
   * The organisation CA trusted for issuer signatures in the mailbox: its root certificate
   * (`partner-root.pem`) is read from here. In development the simulated partner CA keeps its
   * key here too.
   */
  PARTNER_CA_DIR: z.string().default(".data/partner-ca"),
  /**
   * The municipality's own signing identity for what it answers residents' applications with (a
   * 住民票の写し): `town.json` (`partnerSlug`, `municipality`), `organization.pem` (its organisation
   * certificate from the partner CA) and `organization.key.pem` (PKCS#8). Written by the demo seed
   * in development (prisma/seed/demo-applications.ts).
   */
  TOWN_SIGNER_DIR: z.string().default(".data/town-signer"),
  /** Where the organisation CA publishes its CRL. Unset: `${PORTAL_ORIGIN}/partner-ca/crl` (the simulator). */
  PARTNER_CA_CRL_URL: z
    .string()
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(z.url().optional()),
  /** The payment processor's API (card tokens, charges). Unset: `${PORTAL_ORIGIN}/partner-sim/payment` (the simulator). */
  PAYMENT_PROCESSOR_URL: z
    .string()
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(z.url().optional()),
  /** ichimai's merchant API key at the payment processor. Unset: the simulator's key, only while PAYMENT_PROCESSOR_URL is unset (the simulator). */
  PAYMENT_PROCESSOR_API_KEY: z.string().min(16).optional(),
  /** The PAYMENT_PROCESSOR partner (slug) whose tokens ichimai keeps. */
  PAYMENT_PROCESSOR_PARTNER: z.string().min(1).default("ichimai-pay"),
  /** Verification platform: allow plain http:// and private-address webhook receivers (always allowed outside production). */
  PLATFORM_WEBHOOK_ALLOW_HTTP: ZBool.default(false),
  /** Verification platform: send webhooks to host names resolving to loopback/private addresses (always allowed outside production or with PLATFORM_WEBHOOK_ALLOW_HTTP). */
  PLATFORM_WEBHOOK_ALLOW_PRIVATE: ZBool.default(false),
  /** Verification platform: cron of the change-check cycle (CRL scan + OCSP) on the pg-boss queue. */
  PLATFORM_CHANGE_CHECK_CRON: z.string().min(9).default("*/10 * * * *"),
  /** SMTP server of the e-mail notifications (smtp://user:pass@host:587, smtps://…). Unset: notifications stay in the outbox. */
  SMTP_URL: z.url().optional(),
  /** Sender of the e-mail notifications (RFC 5322 mailbox). */
  MAIL_FROM: z.string().min(3).default("ichimai <no-reply@ichimai.localhost>"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  /** Multiplies every card-login rate limit (lib/auth/login-rate-limits.ts); e2e raises it (many logins from 127.0.0.1). */
  LOGIN_RATE_LIMIT_FACTOR: z.coerce.number().int().min(1).max(10_000).default(1),
  /** Days set-top-box heartbeats are kept before housekeeping deletes them (lib/disaster/set-top-box.ts). */
  SET_TOP_BOX_HEARTBEAT_RETENTION_DAYS: z.coerce.number().int().min(1).max(365).default(14),
  /**
   * X-Forwarded-For entries, counted from the right, written by trusted servers; the client is the
   * N-th from the right (lib/http/client-address.ts). 1: one reverse proxy, or `next start` reached
   * directly in development; 0: trust no X-Forwarded-For (no address recorded).
   */
  TRUSTED_PROXY_HOPS: z.preprocess(
    // Empty counts as unset: coercing "" would give 0 and silently stop recording addresses.
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    z.coerce.number().int().min(0).max(20).default(1),
  ),
  /**
   * Single sign-on (lib/oidc): the secret salt of the pairwise subjects the OpenID Provider gives
   * relying parties. Never change it once RPs have stored subjects (they would all change).
   * Required in production; development uses a fixed one.
   */
  OIDC_PAIRWISE_SALT: z.string().min(16).optional(),
});

export type TEnv = z.infer<typeof ZEnvSchema>;

export class EnvError extends Error {
  override name = "EnvError";
}

export function parseEnv(source: Record<string, string | undefined>): TEnv {
  const result = ZEnvSchema.safeParse(source);
  if (!result.success) {
    const lines = issueDetails(result.error).map(
      ({ field, message }) => `  ${field}=${JSON.stringify(source[field] ?? "")}: ${message}`,
    );
    throw new EnvError(
      `Invalid configuration:\n${lines.join("\n")}\nFix these environment variables (see README "Configuration").`,
    );
  }
  return result.data;
}

let cached: TEnv | undefined;

/** The validated environment of this process. */
export function env(): TEnv {
  cached ??= parseEnv(process.env);
  return cached;
}

/**
 * LOG_LEVEL alone, without parsing and caching the rest (lib/log builds its logger on the first
 * line, which may come before a test or a script has set the other variables). An invalid value
 * gives "info" here; env() still refuses it at start-up.
 */
export function logLevel(): TEnv["LOG_LEVEL"] {
  if (cached) return cached.LOG_LEVEL;
  const parsed = ZEnvSchema.shape.LOG_LEVEL.safeParse(process.env.LOG_LEVEL);
  return parsed.success ? parsed.data : "info";
}

/** Resolve a configured path against the project root (the process cwd). */
export function resolveDataPath(p: string): string {
  return path.resolve(/*turbopackIgnore: true*/ process.cwd(), p);
}
