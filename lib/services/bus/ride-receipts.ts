import { webcrypto } from "node:crypto";
import { openSecret, sealSecret } from "../../crypto/secret-box";
import { AppError } from "../../errors/app-error";
import { signCms } from "../../jpki";
import { canonicalJsonBytes } from "../../mailbox/canonical-json";
import { deliverDocument } from "../../mailbox/deliver-document";
import { busNow, jstDay, type TBusContext } from "./bus-context";

const SIGNER_ALGORITHM = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;
const aadOf = (partnerId: string) => `bus-operator-signer:${partnerId}`;

function keysOf(ctx: TBusContext): { key: Uint8Array; previousKeys: Uint8Array[] } {
  if (!ctx.secretsKeys) throw new AppError("INTERNAL", { message: "No secrets key for the operator's signing key." });
  return ctx.secretsKeys();
}

/**
 * The operator entrusts the portal with its receipt-signing key: an organisation certificate
 * from the partner CA and its RSA private key (PKCS#8 DER), sealed at rest under
 * SECRETS_ENCRYPTION_KEY. Receipts are then signed with it and delivered through the ordinary
 * delivery path, which verifies the signature and the certificate like any partner's document.
 */
export async function registerBusOperatorSigner(
  ctx: TBusContext,
  o: { partnerId: string; certificate: Uint8Array; privateKeyPkcs8: Uint8Array },
): Promise<void> {
  try {
    await webcrypto.subtle.importKey("pkcs8", o.privateKeyPkcs8, SIGNER_ALGORITHM, false, ["sign"]);
  } catch (cause) {
    throw new AppError("VALIDATION_FAILED", { message: "The private key is not an RSA PKCS#8 key.", cause });
  }
  const sealedPrivateKey = sealSecret(Buffer.from(o.privateKeyPkcs8).toString("base64"), {
    key: keysOf(ctx).key,
    aad: aadOf(o.partnerId),
  });
  const certificate = new Uint8Array(o.certificate);
  await ctx.prisma.busOperatorSigner.upsert({
    where: { partnerId: o.partnerId },
    create: { partnerId: o.partnerId, certificate, sealedPrivateKey },
    update: { certificate, sealedPrivateKey },
  });
}

const PAYMENT: Record<string, "ticket_book" | "free_pass" | "commuter_pass"> = {
  TICKET_BOOK: "ticket_book",
  PASS: "commuter_pass",
};

/**
 * The バス乗車領収書 of one charged ride in the resident's mailbox, signed by the operator
 * (its sealed organisation key) and delivered by deliverDocument under the resident's member
 * reference with the idempotency key `bus-ride-<ride id>`: delivering twice stores one document.
 * A debt ride gets none (nothing was paid). Returns the document id, or null.
 */
export async function deliverBusRideReceipt(ctx: TBusContext, o: { rideId: string }): Promise<string | null> {
  const ride = await ctx.prisma.busRide.findUniqueOrThrow({
    where: { id: o.rideId },
    select: {
      id: true,
      status: true,
      partnerId: true,
      residentId: true,
      rideAt: true,
      fareYen: true,
      paidYen: true,
      discountYen: true,
      receiptDocumentId: true,
      ticket: { select: { kind: true, priceYen: true } },
      device: { select: { label: true } },
      partner: { select: { name: true, busOperatorSigner: true } },
    },
  });
  if (ride.receiptDocumentId) return ride.receiptDocumentId;
  if (ride.status !== "CHARGED" || !ride.ticket) return null;
  const signer = ride.partner.busOperatorSigner;
  if (!signer) throw new AppError("BUS_RECEIPT_SIGNER_MISSING");
  const link = await ctx.prisma.partnerResidentLink.findUnique({
    where: { partnerId_residentId: { partnerId: ride.partnerId, residentId: ride.residentId } },
    select: { partnerRef: true, revokedAt: true },
  });
  if (!link || link.revokedAt) return null; // the resident withdrew the link: no delivery
  const pkcs8 = Buffer.from(
    openSecret(signer.sealedPrivateKey, { ...keysOf(ctx), aad: aadOf(ride.partnerId) }),
    "base64",
  );
  const privateKey = await webcrypto.subtle.importKey("pkcs8", pkcs8, SIGNER_ALGORITHM, false, ["sign"]);
  const method = ride.ticket.kind === "PASS" && ride.ticket.priceYen === 0 ? "free_pass" : PAYMENT[ride.ticket.kind];
  const payload = {
    operator: ride.partner.name.slice(0, 100),
    receiptNumber: `B-${jstDay(ride.rideAt).replaceAll("-", "")}-${ride.id.slice(0, 8).toUpperCase()}`,
    route: "コミュニティバス",
    from: ride.device.label.slice(0, 100),
    to: "均一運賃区間",
    rideAt: new Date(ride.rideAt.getTime() + 9 * 3600_000).toISOString().replace(/\.\d{3}Z$/, "+09:00"),
    fare: ride.fareYen,
    discount: ride.discountYen,
    paid: ride.paidYen,
    paymentMethod: method ?? "ticket_book",
  };
  const signature = await signCms({
    content: canonicalJsonBytes(payload),
    signerCertificate: new Uint8Array(signer.certificate),
    privateKey,
    detached: true,
    signingTime: busNow(ctx),
  });
  const trustAnchors = ctx.trustAnchors ? await ctx.trustAnchors() : [];
  const { receipt } = await deliverDocument(ctx.prisma, {
    partnerId: ride.partnerId,
    idempotencyKey: `bus-ride-${ride.id}`,
    trustAnchors,
    now: busNow(ctx),
    request: {
      type: "bus-ride-receipt",
      recipient: { partnerRef: link.partnerRef },
      payload,
      signature: Buffer.from(signature).toString("base64"),
    },
  });
  await ctx.prisma.busRide.updateMany({
    where: { id: ride.id, receiptDocumentId: null },
    data: { receiptDocumentId: receipt.id },
  });
  return receipt.id;
}

/**
 * Receipts of charged rides that have none yet (a delivery failed, or the rides came in through an
 * offline sync): delivered one by one; a failure is left for the next run.
 */
export async function deliverPendingBusReceipts(
  ctx: TBusContext,
  o: { rideIds?: string[]; limit?: number } = {},
): Promise<{ delivered: number; failed: number }> {
  const rides = await ctx.prisma.busRide.findMany({
    where: { status: "CHARGED", receiptDocumentId: null, ...(o.rideIds ? { id: { in: o.rideIds } } : {}) },
    select: { id: true },
    orderBy: { rideAt: "asc" },
    take: o.limit ?? 100,
  });
  let delivered = 0;
  let failed = 0;
  for (const r of rides) {
    try {
      if (await deliverBusRideReceipt(ctx, { rideId: r.id })) delivered++;
    } catch {
      failed++;
    }
  }
  return { delivered, failed };
}
