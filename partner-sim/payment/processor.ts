/**
 * The simulated payment processor's own logic over its own tables (SimulatedProcessor*): register
 * a card (→ token + one-time registration reference), redeem the reference (merchant, once),
 * charge a token under an idempotency key. A stand-in for a real processor's systems; ichimai
 * reaches it over HTTP only (lib/services/payment/http-payment-processor.ts).
 */
import { randomBytes } from "node:crypto";
import type { PrismaClient } from "@/lib/db/client";
import { DECLINING_TEST_CARD } from "./test-cards";

/** How long a registration reference can be redeemed. */
export const REGISTRATION_TTL_MS = 10 * 60 * 1000;

const id = (prefix: string) => `${prefix}_${randomBytes(18).toString("base64url")}`;

export async function registerCard(
  prisma: PrismaClient,
  card: { number: string; brand: string; last4: string; expMonth: number; expYear: number },
  now: Date = new Date(),
): Promise<{ tokenId: string; registrationId: string }> {
  const tokenId = id("tok");
  const registrationId = id("reg");
  await prisma.$transaction([
    prisma.simulatedProcessorToken.create({
      data: {
        id: tokenId,
        cardNumber: card.number,
        brand: card.brand,
        last4: card.last4,
        expMonth: card.expMonth,
        expYear: card.expYear,
      },
    }),
    prisma.simulatedProcessorRegistration.create({
      data: { id: registrationId, tokenId, expiresAt: new Date(now.getTime() + REGISTRATION_TTL_MS) },
    }),
  ]);
  return { tokenId, registrationId };
}

export type TRedeemed = { token: string; brand: string; last4: string; expMonth: number; expYear: number };

/** The token behind a registration reference, once; null when unknown, used or expired. */
export async function redeemRegistration(
  prisma: PrismaClient,
  registrationId: string,
  now: Date = new Date(),
): Promise<TRedeemed | null> {
  const used = await prisma.simulatedProcessorRegistration.updateMany({
    where: { id: registrationId, redeemedAt: null, expiresAt: { gt: now } },
    data: { redeemedAt: now },
  });
  if (used.count !== 1) return null;
  const reg = await prisma.simulatedProcessorRegistration.findUniqueOrThrow({
    where: { id: registrationId },
    select: { token: true },
  });
  const t = reg.token;
  return { token: t.id, brand: t.brand, last4: t.last4, expMonth: t.expMonth, expYear: t.expYear };
}

export type TChargeOutcome =
  | { status: "approved"; chargeId: string; amountYen: number }
  | { status: "declined"; reason: "card_declined" | "expired_card" | "unknown_token" }
  | { status: "conflict" };

function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === "P2002";
}

/**
 * Charges `amountYen` to a token under the merchant's idempotency key. The same key again answers
 * the charge made (never a second one), also when two requests race (the key is unique); the
 * same key with another token or amount is a conflict. A declined attempt keeps nothing.
 */
export async function charge(
  prisma: PrismaClient,
  o: { token: string; amountYen: number; idempotencyKey: string },
  now: Date = new Date(),
): Promise<TChargeOutcome> {
  const existing = await prisma.simulatedProcessorCharge.findUnique({ where: { idempotencyKey: o.idempotencyKey } });
  if (existing) return sameOrConflict(existing, o);
  const token = await prisma.simulatedProcessorToken.findUnique({ where: { id: o.token } });
  if (!token) return { status: "declined", reason: "unknown_token" };
  if (token.cardNumber === DECLINING_TEST_CARD) return { status: "declined", reason: "card_declined" };
  const nowMonths = now.getUTCFullYear() * 12 + now.getUTCMonth();
  if (token.expYear * 12 + (token.expMonth - 1) < nowMonths) return { status: "declined", reason: "expired_card" };
  try {
    const made = await prisma.simulatedProcessorCharge.create({
      data: { id: id("ch"), idempotencyKey: o.idempotencyKey, tokenId: token.id, amountYen: o.amountYen },
    });
    return { status: "approved", chargeId: made.id, amountYen: made.amountYen };
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    // A concurrent request with the same key won the insert: answer its charge.
    const winner = await prisma.simulatedProcessorCharge.findUniqueOrThrow({
      where: { idempotencyKey: o.idempotencyKey },
    });
    return sameOrConflict(winner, o);
  }
}

function sameOrConflict(
  made: { id: string; tokenId: string; amountYen: number },
  o: { token: string; amountYen: number },
): TChargeOutcome {
  if (made.tokenId !== o.token || made.amountYen !== o.amountYen) return { status: "conflict" };
  return { status: "approved", chargeId: made.id, amountYen: made.amountYen };
}

/** How many charges a token has (tests and the demo's own checks). */
export function chargesOf(prisma: PrismaClient, token: string) {
  return prisma.simulatedProcessorCharge.findMany({ where: { tokenId: token }, orderBy: { createdAt: "asc" } });
}
