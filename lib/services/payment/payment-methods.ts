import { appendAuditEvent } from "../../audit/append-audit-event";
import type { TAuditChannel, TRequestMetadata } from "../../audit/schemas";
import type { PrismaClient } from "../../db/client";
import { AppError } from "../../errors/app-error";
import type { TPaymentProcessor } from "./payment-processor";

/** How long a resident has to register a card at the processor and come back. */
export const PAYMENT_LINK_TTL_MS = 15 * 60 * 1000;

/** Where the processor sends the resident back (app/(resident)/services/payment/return). */
export const PAYMENT_LINK_RETURN_PATH = "/services/payment/return";

export type TPaymentMethodDto = {
  id: string;
  processor: { slug: string; name: string; nameEn: string };
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
  linkedAt: string;
};

type TWho = { residentId: string; channel?: TAuditChannel; requestMetadata?: TRequestMetadata };

async function processorPartner(prisma: PrismaClient, slug: string) {
  const p = await prisma.partner.findUnique({ where: { slug }, select: { id: true, kind: true, active: true } });
  if (!p?.active || p.kind !== "PAYMENT_PROCESSOR") {
    throw new AppError("PAYMENT_UNAVAILABLE", { message: `No active payment processor "${slug}".` });
  }
  return p;
}

/** The resident's active payment method, or null. */
export async function viewPaymentMethod(prisma: PrismaClient, residentId: string): Promise<TPaymentMethodDto | null> {
  const m = await prisma.paymentMethod.findFirst({
    where: { residentId, unlinkedAt: null },
    orderBy: { linkedAt: "desc" },
    select: {
      id: true,
      brand: true,
      last4: true,
      expMonth: true,
      expYear: true,
      linkedAt: true,
      processor: { select: { slug: true, name: true, nameEn: true } },
    },
  });
  return m ? { ...m, linkedAt: m.linkedAt.toISOString() } : null;
}

/**
 * Starts linking a payment method: a one-time state bound to the resident, and the processor's
 * registration page to send them to (it comes back to PAYMENT_LINK_RETURN_PATH).
 */
export async function startPaymentLink(
  prisma: PrismaClient,
  o: { residentId: string; processorSlug: string; processor: TPaymentProcessor; now?: Date },
): Promise<{ redirectTo: string }> {
  const processor = await processorPartner(prisma, o.processorSlug);
  const now = o.now ?? new Date();
  const request = await prisma.paymentLinkRequest.create({
    data: {
      residentId: o.residentId,
      processorId: processor.id,
      expiresAt: new Date(now.getTime() + PAYMENT_LINK_TTL_MS),
    },
    select: { id: true },
  });
  return { redirectTo: o.processor.registrationUrl({ returnTo: PAYMENT_LINK_RETURN_PATH, state: request.id }) };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The resident came back from the processor with `state` and the registration `ref`: the state
 * must be theirs, unused and fresh (else PAYMENT_LINK_INVALID); the processor redeems the ref for
 * the token (once). ichimai keeps {processor, token, brand, last4, expiry} — replacing the
 * resident's previous method — and the consent ledger gets the link (consent.given).
 */
export async function completePaymentLink(
  prisma: PrismaClient,
  o: TWho & { state: string; ref: string; processor: TPaymentProcessor; now?: Date },
): Promise<TPaymentMethodDto> {
  const now = o.now ?? new Date();
  if (!UUID.test(o.state) || !/^[\w-]{1,100}$/.test(o.ref)) throw new AppError("PAYMENT_LINK_INVALID");
  // Use the state first (once), so a replayed return never redeems twice.
  const used = await prisma.paymentLinkRequest.updateMany({
    where: { id: o.state, residentId: o.residentId, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  if (used.count !== 1) throw new AppError("PAYMENT_LINK_INVALID");
  const { processorId } = await prisma.paymentLinkRequest.findUniqueOrThrow({
    where: { id: o.state },
    select: { processorId: true },
  });
  const card = await o.processor.redeemRegistration(o.ref);
  if (!card) throw new AppError("PAYMENT_LINK_INVALID", { message: "The processor does not know this registration." });
  await prisma.$transaction(async (tx) => {
    // One active method per resident: lock the resident's row while replacing it.
    await tx.$queryRaw`SELECT id FROM "Resident" WHERE id = ${o.residentId}::uuid FOR UPDATE`;
    await tx.paymentMethod.updateMany({
      where: { residentId: o.residentId, unlinkedAt: null },
      data: { unlinkedAt: now },
    });
    const method = await tx.paymentMethod.create({
      data: {
        residentId: o.residentId,
        processorId,
        token: card.token,
        brand: card.brand,
        last4: card.last4,
        expMonth: card.expMonth,
        expYear: card.expYear,
        linkedAt: now,
      },
      select: { id: true },
    });
    await appendAuditEvent(tx, {
      type: "consent.given",
      actor: { type: "resident", id: o.residentId },
      subjectResidentId: o.residentId,
      purpose: "お支払い方法の登録 (決済代行会社のトークン)",
      channel: o.channel ?? "pc",
      requestMetadata: o.requestMetadata,
      data: {
        consent: "payment.method",
        partnerId: processorId,
        paymentMethodId: method.id,
        brand: card.brand,
        last4: card.last4,
      },
    });
  });
  const view = await viewPaymentMethod(prisma, o.residentId);
  if (!view) throw new AppError("INTERNAL");
  return view;
}

/** The resident unlinks their payment method (consent.revoked); unpaid visits stay payable once another is linked. */
export async function unlinkPaymentMethod(prisma: PrismaClient, o: TWho & { now?: Date }): Promise<void> {
  const now = o.now ?? new Date();
  await prisma.$transaction(async (tx) => {
    const active = await tx.paymentMethod.findMany({
      where: { residentId: o.residentId, unlinkedAt: null },
      select: { id: true, processorId: true },
    });
    if (active.length === 0) throw new AppError("NOT_FOUND", { message: "No linked payment method." });
    await tx.paymentMethod.updateMany({ where: { id: { in: active.map((m) => m.id) } }, data: { unlinkedAt: now } });
    for (const m of active) {
      await appendAuditEvent(tx, {
        type: "consent.revoked",
        actor: { type: "resident", id: o.residentId },
        subjectResidentId: o.residentId,
        purpose: "お支払い方法の登録解除",
        channel: o.channel ?? "pc",
        requestMetadata: o.requestMetadata,
        data: { consent: "payment.method", partnerId: m.processorId, paymentMethodId: m.id },
      });
    }
  });
}
