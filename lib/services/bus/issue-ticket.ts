import { z } from "zod";
import type { TRequestMetadata } from "../../audit/schemas";
import { assertModeReachesResident, type TCredentialMode } from "../../credential-mode/credential-mode";
import { AppError } from "../../errors/app-error";
import type { TBusContext } from "./bus-context";
import { purchaseBusTicket } from "./purchase-ticket";
import type { TBusTicketDto } from "./ticket-dto";

export const ZIssueBusTicketRequest = z.strictObject({
  /** Your own member reference of the resident (the link they consented to). */
  partnerRef: z.string().trim().min(1).max(100),
  /** One of your products (defined with the portal). */
  productCode: z.string().trim().min(1).max(40),
});

/**
 * The operator issues a ticket book or pass to one of its linked members (paid to the operator:
 * at its counter or on the bus), through the partner API. Same rules as a resident's purchase
 * (a discounted product needs the shared predicate, re-checked now); TEST credentials reach only
 * sandbox residents (CREDENTIAL_MODE_MISMATCH). An unknown or revoked reference is
 * RECIPIENT_NOT_LINKED.
 */
export async function issueBusTicket(
  ctx: TBusContext,
  o: { partnerId: string; credentialMode: TCredentialMode; request: unknown; requestMetadata?: TRequestMetadata },
): Promise<TBusTicketDto> {
  const input = ZIssueBusTicketRequest.parse(o.request);
  const partner = await ctx.prisma.partner.findUnique({ where: { id: o.partnerId }, select: { kind: true } });
  if (partner?.kind !== "BUS_OPERATOR")
    throw new AppError("BUS_PRODUCT_UNKNOWN", { message: "Only bus operators issue bus tickets." });
  const link = await ctx.prisma.partnerResidentLink.findUnique({
    where: { partnerId_partnerRef: { partnerId: o.partnerId, partnerRef: input.partnerRef } },
    select: { residentId: true, revokedAt: true, resident: { select: { sandbox: true } } },
  });
  if (!link || link.revokedAt) throw new AppError("RECIPIENT_NOT_LINKED");
  assertModeReachesResident(o.credentialMode, link.resident);
  return purchaseBusTicket(ctx, {
    residentId: link.residentId,
    partnerId: o.partnerId,
    productCode: input.productCode,
    issuedBy: "operator",
    channel: "api",
    requestMetadata: o.requestMetadata,
  });
}
