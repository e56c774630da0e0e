/**
 * QR cross-device login (docs/jpki.md#mobile-tokens-and-cross-device-login: Mynaportal's 2次元バーコードでログイン). A PC without a card
 * reader shows a QR code; the resident opens it on a phone, logs in there with their own card,
 * checks that the 4-digit number matches the PC, and approves; the PC session then completes.
 *
 * - The QR carries a 32-byte random code; only its SHA-256 is stored.
 * - Only the PC browser that started it can complete it (its binding cookie's hash is stored),
 *   exactly once, within 3 minutes.
 * - Approval needs a card login on the phone within the last 5 minutes (assurance "card"), so
 *   a passkey session or an old session cannot approve.
 * - The residual risk is a resident approving a QR code someone else showed them (QR phishing);
 *   the matching number on both screens and the warning on the phone are the defence, as on
 *   Mynaportal.
 */
import { randomBytes, randomInt } from "node:crypto";
import { sha256Hex } from "../crypto/sha256";
import { appendAuditEvent } from "../audit/append-audit-event";
import type { PrismaClient } from "../db/client";
import { AppError } from "../errors/app-error";
import { hashBinding } from "./challenge";
import {
  limitChallengeIssuance,
  withLoginAttempt,
  type TLoginRateLimits,
  type TLoginRequestMetadata,
} from "./login-rate-limits";

export const CROSS_DEVICE_TTL_MS = 3 * 60 * 1000;
/** How recent the phone's card login must be to approve. */
export const CROSS_DEVICE_APPROVAL_MAX_AGE_MS = 5 * 60 * 1000;

export type TCrossDeviceStatus = "pending" | "approved" | "completed" | "expired";

function codeHash(code: string): string {
  return sha256Hex(code);
}

function statusOf(
  row: { expiresAt: Date; approvedAt: Date | null; completedAt: Date | null },
  now: Date,
): TCrossDeviceStatus {
  if (row.completedAt) return "completed";
  if (row.expiresAt.getTime() <= now.getTime()) return "expired";
  return row.approvedAt ? "approved" : "pending";
}

async function findByCode(db: PrismaClient, code: string) {
  if (!/^[A-Za-z0-9_-]{32,64}$/.test(code)) throw new AppError("CHALLENGE_UNKNOWN");
  const row = await db.crossDeviceLogin.findUnique({ where: { codeHash: codeHash(code) } });
  if (!row) throw new AppError("CHALLENGE_UNKNOWN");
  return row;
}

function requireOwner(row: { bindingHash: string }, binding: string | undefined): void {
  if (!binding || hashBinding(binding) !== row.bindingHash) {
    throw new AppError("CHALLENGE_UNKNOWN", { message: "The cross-device login belongs to another browser." });
  }
}

/** PC: start a cross-device login; the code goes into the QR URL. */
export async function startCrossDeviceLogin(
  db: PrismaClient,
  o: { binding: string; meta?: TLoginRequestMetadata; limits?: TLoginRateLimits | null; now?: Date },
): Promise<{ code: string; confirmation: string; expiresAt: Date }> {
  const now = o.now ?? new Date();
  // The same issuance limits as card challenges (login-rate-limits.ts).
  await limitChallengeIssuance(db, {
    binding: o.binding,
    purpose: "cross_device",
    meta: o.meta,
    limits: o.limits,
    now,
  });
  const code = randomBytes(32).toString("base64url");
  const confirmation = String(randomInt(0, 10_000)).padStart(4, "0");
  const expiresAt = new Date(now.getTime() + CROSS_DEVICE_TTL_MS);
  await db.crossDeviceLogin.create({
    data: { codeHash: codeHash(code), bindingHash: hashBinding(o.binding), confirmation, expiresAt, createdAt: now },
  });
  return { code, confirmation, expiresAt };
}

/** PC: poll the status (only the browser that started it). */
export async function getCrossDeviceStatus(
  db: PrismaClient,
  o: { code: string; binding: string | undefined; now?: Date },
): Promise<TCrossDeviceStatus> {
  const row = await findByCode(db, o.code);
  requireOwner(row, o.binding);
  return statusOf(row, o.now ?? new Date());
}

/** Phone: what to show before approving (the number to compare) — no binding: another browser. */
export async function describeCrossDeviceLogin(
  db: PrismaClient,
  o: { code: string; now?: Date },
): Promise<{ confirmation: string; expiresAt: Date; status: TCrossDeviceStatus }> {
  const row = await findByCode(db, o.code);
  return { confirmation: row.confirmation, expiresAt: row.expiresAt, status: statusOf(row, o.now ?? new Date()) };
}

/** Phone: approve with the resident of a fresh card login on the phone. */
export async function approveCrossDeviceLogin(
  db: PrismaClient,
  o: { code: string; residentId: string; assurance: string; authTime: number; now?: Date },
): Promise<void> {
  const now = o.now ?? new Date();
  if (o.assurance !== "card" || now.getTime() - o.authTime > CROSS_DEVICE_APPROVAL_MAX_AGE_MS) {
    throw new AppError("UNAUTHENTICATED", { message: "Approving needs a card login on this device within 5 minutes." });
  }
  const row = await findByCode(db, o.code);
  const status = statusOf(row, now);
  if (status === "expired") throw new AppError("CHALLENGE_EXPIRED");
  if (status !== "pending") throw new AppError("CHALLENGE_REPLAYED");
  const { count } = await db.crossDeviceLogin.updateMany({
    where: { id: row.id, approvedAt: null, completedAt: null },
    data: { approvedAt: now, residentId: o.residentId },
  });
  if (count !== 1) throw new AppError("CHALLENGE_REPLAYED");
}

type TCompleteCrossDeviceOptions = {
  code: string;
  binding: string | undefined;
  now?: Date;
  /** Client address (lib/http/client-address.ts): audit rows and the failure limit. */
  ip?: string;
  userAgent?: string;
  limits?: TLoginRateLimits | null;
};

/**
 * PC: take the approval, exactly once; returns the resident to log in. Failures count against
 * the client address's failure limit (login-rate-limits.ts).
 */
export async function completeCrossDeviceLogin(
  db: PrismaClient,
  o: TCompleteCrossDeviceOptions,
): Promise<{ residentId: string; displayName: string; approvedAt: Date }> {
  return withLoginAttempt(
    db,
    { method: "cross_device", meta: { ip: o.ip, userAgent: o.userAgent }, limits: o.limits, now: o.now },
    () => takeApproval(db, o),
  );
}

async function takeApproval(
  db: PrismaClient,
  o: TCompleteCrossDeviceOptions,
): Promise<{ residentId: string; displayName: string; approvedAt: Date }> {
  const now = o.now ?? new Date();
  const row = await findByCode(db, o.code);
  requireOwner(row, o.binding);
  const status = statusOf(row, now);
  if (status === "expired") throw new AppError("CHALLENGE_EXPIRED");
  if (status === "completed") throw new AppError("CHALLENGE_REPLAYED");
  if (status === "pending" || !row.residentId || !row.approvedAt) throw new AppError("CROSS_DEVICE_PENDING");
  const residentId = row.residentId;
  const approvedAt = row.approvedAt;
  return db.$transaction(async (tx) => {
    const { count } = await tx.crossDeviceLogin.updateMany({
      where: { id: row.id, completedAt: null },
      data: { completedAt: now },
    });
    if (count !== 1) throw new AppError("CHALLENGE_REPLAYED");
    const resident = await tx.resident.findUniqueOrThrow({
      where: { id: residentId },
      select: { familyName: true, givenName: true },
    });
    await appendAuditEvent(tx, {
      type: "auth.login_succeeded",
      actor: { type: "resident", id: residentId },
      subjectResidentId: residentId,
      channel: "pc",
      requestMetadata: { ip: o.ip, userAgent: o.userAgent },
      data: { method: "cross_device" },
    });
    return { residentId, displayName: `${resident.familyName} ${resident.givenName}`, approvedAt };
  });
}
