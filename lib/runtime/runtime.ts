/**
 * The composition root: everything ichimai takes from the outside world, built from one validated
 * configuration (lib/env.ts) — the database, J-LIS and the card trust anchors (through the
 * card-login and platform contexts), the issuer trust, the mailer, the secrets keys, the clock and
 * the logger. The web process, the job runner and the CLIs all get it from here, in one shape.
 *
 * Building a runtime does no I/O: each part starts (PostgreSQL, the SMTP transport) or loads (trust
 * anchors) on first use and is kept for the runtime's life. The process's one is getRuntime(),
 * kept on globalThis so that Next's development reloads of modules share it; the old getters
 * (getDb, getCardLoginContext, getPlatformContext, getIssuerTrustAnchors, getIssuerCrls,
 * getNotificationWorker) are views over it.
 */
import nodemailer, { type Transporter } from "nodemailer";
import { auditAnchorConfig, type TAuditAnchorConfig } from "../audit/audit-anchor";
import type { TCardLoginContext } from "../auth/verify-card-login";
import { secretsEncryptionKeys } from "../crypto/secret-box";
import { databaseReady, prepareDatabase, type TDatabaseReady } from "../db/connection";
import { createPrismaClient, type PrismaClient } from "../db/prisma";
import { env, type TEnv } from "../env";
import { createIssuerTrust, type TIssuerTrust } from "../mailbox/issuer-trust-source";
import { startNotificationWorker, type TNotificationWorker } from "../notifications/notification-worker";
import type { TPlatformContext } from "../platform/platform-context";
import { createLog, type TLog } from "../log/logger";
import { buildCardLoginContext, buildPlatformContext } from "./contexts";

/** Where the runtime's parts log: the structured logger of lib/log (a test may pass its own). */
export type TLogger = TLog;

export type TMailer = {
  /** The SMTP transport of SMTP_URL (nodemailer URL syntax); undefined when SMTP_URL is unset. */
  transport(): Transporter | undefined;
  /**
   * The notification worker when SMTP_URL is set (undefined otherwise): started on first use with
   * the first `getPrisma` given (default: the runtime's database), drains the outbox every 30 s
   * and on `kick()`.
   */
  worker(getPrisma?: () => Promise<PrismaClient>): TNotificationWorker | undefined;
};

export type TRuntime = {
  readonly config: TEnv;
  /** The clock of every context built here. */
  readonly now: () => Date;
  readonly logger: TLogger;
  /** PostgreSQL running and migrated (embedded unless DATABASE_URL): its URL, for pg-boss and scripts. */
  database(): Promise<TDatabaseReady>;
  /** The runtime's one Prisma client. */
  db(): Promise<PrismaClient>;
  /** SECRETS_ENCRYPTION_KEY and the read-only previous keys (throws in production without a key). */
  secretsKeys(): { key: Buffer; previousKeys: Buffer[] };
  /** Where and under which key audit anchors are written (AUDIT_ANCHOR_FILE). */
  auditAnchors(): TAuditAnchorConfig;
  /**
   * The card-login context. Kept once trust anchors were found; while the simulator is not
   * initialized yet (no roots), it is rebuilt on each call so that `npm run jpki -- init` (or the
   * e2e set-up) is picked up without a restart.
   */
  cardLogin(): Promise<TCardLoginContext>;
  /** The platform context; like cardLogin(), kept once signing roots were found, rebuilt until then. */
  platform(): Promise<TPlatformContext>;
  /** Roots and CRLs for issuer signatures on mailbox documents. */
  readonly issuerTrust: TIssuerTrust;
  readonly mailer: TMailer;
  /** One value per runtime under `key`, built on first use (e.g. the started background jobs). */
  once<T>(key: string, build: () => T): T;
  /** Stops the mail worker, closes the SMTP transport and disconnects the database client. */
  close(): Promise<void>;
};

export type TRuntimeOptions = {
  /** The configuration (default: env(), this process's). */
  config?: TEnv;
  /**
   * Brings the database up (default: prepareDatabase(config) once per runtime; the process runtime
   * shares databaseReady() with scripts/dev.ts and the e2e set-up).
   */
  database?: () => Promise<TDatabaseReady>;
  now?: () => Date;
  logger?: TLogger;
};

/** Memoises a promise, forgetting it on rejection (or when `keep` says no), so the next call tries again. */
function memo<T>(build: () => Promise<T>, keep: (value: T) => boolean = () => true): () => Promise<T> {
  let cached: Promise<T> | undefined;
  return () => {
    if (cached) return cached;
    const building = build().then(
      (value) => {
        if (!keep(value)) cached = undefined;
        return value;
      },
      (e) => {
        cached = undefined;
        throw e;
      },
    );
    cached = building;
    return building;
  };
}

/** A runtime for `options.config` (a CLI or a test with its own configuration); see getRuntime(). */
export function createRuntime(options: TRuntimeOptions = {}): TRuntime {
  const config = options.config ?? env();
  const now = options.now ?? (() => new Date());
  const logger = options.logger ?? createLog("runtime");
  const database = memo(options.database ?? (() => prepareDatabase(config)));
  let client: PrismaClient | undefined;
  const db = memo(async () => {
    client = createPrismaClient((await database()).url);
    return client;
  });
  let keys: { key: Buffer; previousKeys: Buffer[] } | undefined;
  const secretsKeys = () => {
    keys ??= secretsEncryptionKeys(config);
    return keys;
  };
  let anchors: TAuditAnchorConfig | undefined;
  let transport: Transporter | undefined;
  let worker: TNotificationWorker | undefined;
  const slots = new Map<string, unknown>();
  const parts = { config, now, db, secretsKeys };
  const runtime: TRuntime = {
    config,
    now,
    logger,
    database,
    db,
    secretsKeys,
    auditAnchors() {
      anchors ??= auditAnchorConfig(config);
      return anchors;
    },
    cardLogin: memo(
      () => buildCardLoginContext(parts),
      (ctx) => ctx.authTrustAnchors.length > 0,
    ),
    platform: memo(
      () => buildPlatformContext(parts),
      (ctx) => ctx.signTrustAnchors.length > 0,
    ),
    issuerTrust: createIssuerTrust(config),
    mailer: {
      transport() {
        if (!config.SMTP_URL) return undefined;
        transport ??= nodemailer.createTransport(config.SMTP_URL);
        return transport;
      },
      worker(getPrisma = db) {
        const t = runtime.mailer.transport();
        if (!t) return undefined;
        worker ??= startNotificationWorker(getPrisma, {
          transport: t,
          from: config.MAIL_FROM,
          portalOrigin: config.PORTAL_ORIGIN,
        });
        return worker;
      },
    },
    once<T>(key: string, build: () => T): T {
      if (!slots.has(key)) slots.set(key, build());
      return slots.get(key) as T;
    },
    async close() {
      await worker?.stop();
      transport?.close();
      await client?.$disconnect();
    },
  };
  return runtime;
}

const g = globalThis as unknown as { __ichimaiRuntime?: TRuntime };

/**
 * The runtime of this process, built on first call from env() (kept on globalThis: Next's
 * development server reloads modules, the process keeps one database client and one worker).
 */
export function getRuntime(): TRuntime {
  g.__ichimaiRuntime ??= createRuntime({ config: env(), database: () => databaseReady(env()) });
  return g.__ichimaiRuntime;
}
