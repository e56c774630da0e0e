import { randomBytes, timingSafeEqual } from "node:crypto";
import { sha256Hex } from "../crypto/sha256";
import type { PrismaClient } from "../db/client";
import { AppError } from "../errors/app-error";
import { createLog } from "../log/logger";
import { limitChallengeIssuance, type TLoginRateLimits, type TLoginRequestMetadata } from "./login-rate-limits";

const log = createLog("auth/challenge");

/** Challenge life: 5 minutes (docs/jpki.md#card-login-web-eid, Web eID). */
export const CHALLENGE_TTL_MS = 5 * 60 * 1000;

export type ChallengePurpose = "login" | "binding" | "cross_device" | "passkey";

export type IssueChallengeOptions = {
  /** The browser-session binding secret (an httpOnly cookie value); only its hash is stored. */
  binding: string;
  origin: string;
  purpose?: ChallengePurpose;
  /** Client address and user agent: the issuance limits key on the address (login-rate-limits.ts). */
  meta?: TLoginRequestMetadata;
  /** Default: LOGIN_RATE_LIMITS scaled by LOGIN_RATE_LIMIT_FACTOR; null: no limit (benchmarks). */
  limits?: TLoginRateLimits | null;
  now?: Date;
};

export function hashBinding(binding: string): string {
  return sha256Hex(binding);
}

/** A new random browser-session binding value for the cookie. */
export function newBinding(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * Issue a 32-byte nonce bound to one browser session, single use, 5-minute life. Rate-limited per
 * client address and per binding (RATE_LIMITED, lib/auth/login-rate-limits.ts).
 */
export async function issueChallenge(
  db: PrismaClient,
  { binding, origin, purpose = "login", meta, limits, now = new Date() }: IssueChallengeOptions,
): Promise<{ nonce: string; expiresAt: Date }> {
  await limitChallengeIssuance(db, { binding, purpose, meta, limits, now });
  const nonce = randomBytes(32).toString("base64");
  const expiresAt = new Date(now.getTime() + CHALLENGE_TTL_MS);
  await db.loginChallenge.create({
    data: { nonce, bindingHash: hashBinding(binding), origin, purpose, expiresAt, createdAt: now },
  });
  log.info({ purpose }, "challenge issued");
  return { nonce, expiresAt };
}

export type ConsumeChallengeOptions = { nonce: string; binding: string; purpose?: ChallengePurpose; now?: Date };

/**
 * Mark a challenge used, exactly once. Refuses an unknown nonce, one issued to another browser
 * session (login CSRF), an expired one and a replay. The conditional UPDATE makes two concurrent
 * uses of one nonce succeed at most once.
 */
export async function consumeChallenge(
  db: PrismaClient,
  { nonce, binding, purpose = "login", now = new Date() }: ConsumeChallengeOptions,
): Promise<{ origin: string }> {
  const row = await db.loginChallenge.findUnique({ where: { nonce } });
  if (!row || row.purpose !== purpose) throw new AppError("CHALLENGE_UNKNOWN");
  const expected = Buffer.from(row.bindingHash, "hex");
  const actual = Buffer.from(hashBinding(binding), "hex");
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    throw new AppError("CHALLENGE_UNKNOWN", { message: "The challenge was issued to another browser session." });
  }
  if (row.usedAt) throw new AppError("CHALLENGE_REPLAYED");
  if (row.expiresAt.getTime() <= now.getTime()) throw new AppError("CHALLENGE_EXPIRED");
  const { count } = await db.loginChallenge.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: now } });
  if (count !== 1) throw new AppError("CHALLENGE_REPLAYED");
  return { origin: row.origin };
}

/** Remove challenges that expired more than a day ago (housekeeping). */
export async function purgeExpiredChallenges(db: PrismaClient, now = new Date()): Promise<number> {
  const { count } = await db.loginChallenge.deleteMany({
    where: { expiresAt: { lt: new Date(now.getTime() - 86_400_000) } },
  });
  return count;
}
