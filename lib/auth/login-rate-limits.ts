/**
 * Rate limits of resident login (card, QR cross-device, passkey), on the shared PostgreSQL
 * fixed-window counter (lib/rate-limit/fixed-window.ts), so every app server enforces the same
 * numbers. Two kinds:
 *
 * - **Challenge issuance** (LoginChallenge / CrossDeviceLogin rows): per client address and per
 *   browser binding. Every request counts.
 * - **Failed verifications** (card login, first-login binding, QR, passkey): per client address
 *   and, for card login, per card certificate (issuer + serial). Only failures count: an attempt
 *   reserves a slot before the expensive checks (so 20 parallel bad attempts cannot all slip past
 *   the limit) and a success gives it back. The card itself locks after wrong PINs (docs/jpki.md#pins-and-lock-counts) — those never reach the server;
 *   this limit is about bad signatures, replays, unknown and revoked cards hammering the
 *   server and J-LIS's OCSP.
 *
 * A refusal is RATE_LIMITED (429, `retryAfterSeconds` → Retry-After) and, once per key and
 * window (the first refused hit), an `auth.rate_limited` audit event with no more personal data
 * than `auth.login_failed` records. Later refusals in that window are only counted: an attacker
 * must not be able to flood the hash-chained audit log (every append takes its lock).
 */
import { appendAuditEvent } from "../audit/append-audit-event";
import type { TAuditChannel } from "../audit/schemas";
import type { PrismaClient } from "../db/client";
import { env } from "../env";
import { hitRateLimit, rateLimitedError, refundRateLimit, type TRateLimitRule } from "../rate-limit/fixed-window";

const MINUTE_MS = 60_000;

/**
 * The limits (before LOGIN_RATE_LIMIT_FACTOR). Sized for a resident who retries a few times and
 * for several residents behind one address (a family, an office, a municipal counter):
 *
 * | limit                   | default        | key                                   |
 * | ----------------------- | -------------- | ------------------------------------- |
 * | challengePerIp          | 30 / minute    | client address                        |
 * | challengePerBinding     | 10 / minute    | browser-binding cookie                |
 * | failurePerIp            | 10 / 15 min    | client address                        |
 * | failurePerCertificate   | 5 / 15 min     | auth certificate issuer DN + serial   |
 * | partnerFailurePerIp     | 20 / 15 min    | client address (partner console login) |
 *
 * A fixed window lets up to twice a limit through across a window boundary.
 */
export const LOGIN_RATE_LIMITS = {
  challengePerIp: { limit: 30, windowMs: MINUTE_MS },
  challengePerBinding: { limit: 10, windowMs: MINUTE_MS },
  failurePerIp: { limit: 10, windowMs: 15 * MINUTE_MS },
  failurePerCertificate: { limit: 5, windowMs: 15 * MINUTE_MS },
  // Partner console passwords: each attempt costs an scrypt at N=2^17 (128 MiB, ~0.35 s), so the
  // address is limited before that work; the account itself locks after 10 failures.
  partnerFailurePerIp: { limit: 20, windowMs: 15 * MINUTE_MS },
} as const satisfies Record<string, TRateLimitRule>;

export type TLoginRateLimits = { [K in keyof typeof LOGIN_RATE_LIMITS]: TRateLimitRule };

/** RateLimitCounter buckets, one per limit. */
const BUCKETS: Record<keyof TLoginRateLimits, string> = {
  challengePerIp: "login.challenge.ip",
  challengePerBinding: "login.challenge.binding",
  failurePerIp: "login.failure.ip",
  failurePerCertificate: "login.failure.certificate",
  partnerFailurePerIp: "partner.login.failure.ip",
};

/** LOGIN_RATE_LIMITS times `factor` (LOGIN_RATE_LIMIT_FACTOR from the environment by default). */
export function loginRateLimits(factor = env().LOGIN_RATE_LIMIT_FACTOR): TLoginRateLimits {
  const scaled = (r: TRateLimitRule) => ({ limit: r.limit * factor, windowMs: r.windowMs });
  return {
    challengePerIp: scaled(LOGIN_RATE_LIMITS.challengePerIp),
    challengePerBinding: scaled(LOGIN_RATE_LIMITS.challengePerBinding),
    failurePerIp: scaled(LOGIN_RATE_LIMITS.failurePerIp),
    failurePerCertificate: scaled(LOGIN_RATE_LIMITS.failurePerCertificate),
    partnerFailurePerIp: scaled(LOGIN_RATE_LIMITS.partnerFailurePerIp),
  };
}

export type TLoginRequestMetadata = {
  /**
   * Client address (lib/http/client-address.ts, the TRUSTED_PROXY_HOPS model): the per-address
   * limits key on it and the audit events record it. Absent: the per-address limits do not apply.
   */
  ip?: string;
  userAgent?: string;
  channel?: TAuditChannel;
};

type THit = { name: keyof TLoginRateLimits; key: string; windowStart: Date };

async function refuse(
  db: PrismaClient,
  o: {
    name: keyof TLoginRateLimits;
    count: number;
    limit: number;
    retryAfterSeconds: number;
    meta: TLoginRequestMetadata;
    /** Who was refused: a resident login, or a partner console login. */
    actorType: "resident" | "partner";
    data: Record<string, unknown>;
  },
): Promise<never> {
  if (o.count === o.limit + 1) {
    await db.$transaction(async (tx) => {
      await appendAuditEvent(tx, {
        type: "auth.rate_limited",
        actor: { type: o.actorType },
        channel: o.meta.channel ?? "pc",
        requestMetadata: { ip: o.meta.ip?.slice(0, 64), userAgent: o.meta.userAgent },
        data: { limit: o.name, retryAfterSeconds: o.retryAfterSeconds, ...o.data },
      });
    });
  }
  throw rateLimitedError({ limit: o.name, retryAfterSeconds: o.retryAfterSeconds });
}

/** Hits each key in order; on the first refusal gives back the hits already taken and refuses. */
async function hitAll(
  db: PrismaClient,
  limits: TLoginRateLimits,
  keys: { name: keyof TLoginRateLimits; key: string; auditData?: Record<string, unknown> }[],
  meta: TLoginRequestMetadata,
  data: Record<string, unknown>,
  now: Date,
  actorType: "resident" | "partner" = "resident",
): Promise<THit[]> {
  const taken: THit[] = [];
  for (const k of keys) {
    const hit = await hitRateLimit(db, { bucket: BUCKETS[k.name], key: k.key, rule: limits[k.name], now });
    if (!hit.allowed) {
      await refundAll(db, taken);
      await refuse(db, {
        name: k.name,
        count: hit.count,
        limit: hit.limit,
        retryAfterSeconds: hit.retryAfterSeconds,
        meta,
        actorType,
        data: { ...data, ...k.auditData },
      });
    }
    taken.push({ name: k.name, key: k.key, windowStart: hit.windowStart });
  }
  return taken;
}

async function refundAll(db: PrismaClient, hits: THit[]): Promise<void> {
  for (const h of hits) await refundRateLimit(db, { bucket: BUCKETS[h.name], key: h.key, windowStart: h.windowStart });
}

/**
 * Counts one challenge issuance for the client address and the browser binding; throws
 * RATE_LIMITED above either limit. `limits: null` turns limiting off (benchmarks, unit tests of
 * other concerns).
 */
export async function limitChallengeIssuance(
  db: PrismaClient,
  o: {
    binding: string;
    purpose: string;
    meta?: TLoginRequestMetadata;
    limits?: TLoginRateLimits | null;
    now?: Date;
  },
): Promise<void> {
  const limits = o.limits === undefined ? loginRateLimits() : o.limits;
  if (!limits) return;
  const meta = o.meta ?? {};
  const ip = meta.ip;
  await hitAll(
    db,
    limits,
    [
      ...(ip ? [{ name: "challengePerIp" as const, key: ip }] : []),
      { name: "challengePerBinding" as const, key: o.binding },
    ],
    meta,
    { step: "challenge", purpose: o.purpose },
    o.now ?? new Date(),
  );
}

/** Certificate identity for the per-certificate failure limit (as auth.login_failed records it). */
export type TCertificateKey = { issuerDn: string; serialNumber: string };

export type TLoginAttempt = {
  /** The attempt succeeded: give back its failure slots (a success never counts). */
  succeeded(): Promise<void>;
  /**
   * The attempt failed, but the certificate was not shown to be a genuine JPKI certificate (it
   * did not chain to a root): give back the per-certificate slot, so nobody can lock a resident's
   * card out with a self-made certificate that copies its issuer and serial.
   */
  certificateNotProven(): Promise<void>;
};

/**
 * Reserves a failure slot for the client address and (card login) the certificate before a login
 * verification; throws RATE_LIMITED when either has used up its failures in the window. The
 * caller reports the outcome through the returned handle; a failed attempt keeps its slots.
 */
export async function reserveLoginAttempt(
  db: PrismaClient,
  o: {
    /** partner_password: the partner console's e-mail + password login (its own per-address limit). */
    method: "card" | "card_binding" | "cross_device" | "passkey" | "partner_password";
    certificate?: TCertificateKey;
    meta?: TLoginRequestMetadata;
    limits?: TLoginRateLimits | null;
    now?: Date;
  },
): Promise<TLoginAttempt> {
  const limits = o.limits === undefined ? loginRateLimits() : o.limits;
  if (!limits) return { succeeded: async () => {}, certificateNotProven: async () => {} };
  const meta = o.meta ?? {};
  const ip = meta.ip;
  const cert = o.certificate;
  const partner = o.method === "partner_password";
  const taken = await hitAll(
    db,
    limits,
    [
      ...(ip ? [{ name: partner ? ("partnerFailurePerIp" as const) : ("failurePerIp" as const), key: ip }] : []),
      ...(cert
        ? [
            {
              name: "failurePerCertificate" as const,
              key: `${cert.issuerDn}\n${cert.serialNumber}`,
              auditData: { serialNumber: cert.serialNumber, issuer: cert.issuerDn },
            },
          ]
        : []),
    ],
    meta,
    { step: "verification", method: o.method },
    o.now ?? new Date(),
    partner ? "partner" : "resident",
  );
  return {
    succeeded: () => refundAll(db, taken),
    certificateNotProven: () =>
      refundAll(
        db,
        taken.filter((h) => h.name === "failurePerCertificate"),
      ),
  };
}

/**
 * Runs a login verification under {@link reserveLoginAttempt}: the slot is taken before `verify`
 * and given back when it succeeds; a throw keeps it (a failure counts).
 */
export async function withLoginAttempt<T>(
  db: PrismaClient,
  o: Parameters<typeof reserveLoginAttempt>[1],
  verify: () => Promise<T>,
): Promise<T> {
  const attempt = await reserveLoginAttempt(db, o);
  const done = await verify();
  await attempt.succeeded();
  return done;
}
