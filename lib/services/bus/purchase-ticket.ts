import { appendAuditEvent } from "../../audit/append-audit-event";
import type { TRequestMetadata } from "../../audit/schemas";
import type { Prisma } from "../../db/client";
import { AppError } from "../../errors/app-error";
import { BUS_TX_OPTIONS, busNow, jstDay, jstDayStart, type TBusContext } from "./bus-context";
import { checkBusEligibility } from "./eligibility";
import { type TBusTicketDto, ticketDtoOf, TICKET_SELECT } from "./ticket-dto";

export type TPurchaseBusTicketOptions = {
  residentId: string;
  partnerId: string;
  /** The operator's product code. */
  productCode: string;
  /** "resident": bought in /services/bus (paid at the counter); "operator": issued by the operator. */
  issuedBy: "resident" | "operator";
  channel?: "pc" | "phone" | "tv" | "api";
  requestMetadata?: TRequestMetadata;
};

/**
 * A ticket book or pass for a linked resident. Payment is not taken here: it is recorded as paid
 * at the counter (or to the operator). A discounted product's eligibility is checked again now,
 * in the same transaction, and the rule and evidence are stored with the ticket. A pass runs from
 * today (JST) for the product's validDays; a book holds the product's rides.
 */
export async function purchaseBusTicket(ctx: TBusContext, o: TPurchaseBusTicketOptions): Promise<TBusTicketDto> {
  const now = busNow(ctx);
  return ctx.prisma.$transaction(async (tx) => {
    const product = await tx.busProduct.findUnique({
      where: { partnerId_code: { partnerId: o.partnerId, code: o.productCode } },
    });
    if (!product?.active) throw new AppError("BUS_PRODUCT_UNKNOWN");
    await requireLinked(tx, o.residentId, o.partnerId);
    const evidence = await checkBusEligibility(tx, {
      residentId: o.residentId,
      partnerId: o.partnerId,
      eligibility: product.eligibility,
      now,
    });
    const validFrom = product.kind === "PASS" ? jstDayStart(jstDay(now)) : now;
    const validUntil =
      product.kind === "PASS" ? new Date(validFrom.getTime() + (product.validDays ?? 0) * 86_400_000) : null;
    const ticket = await tx.busTicket.create({
      data: {
        residentId: o.residentId,
        partnerId: o.partnerId,
        productId: product.id,
        kind: product.kind,
        ridesTotal: product.kind === "TICKET_BOOK" ? product.rides : null,
        ridesRemaining: product.kind === "TICKET_BOOK" ? product.rides : null,
        validFrom,
        validUntil,
        priceYen: product.priceYen,
        fareYen: product.fareYen,
        eligibility: product.eligibility,
        eligibilityEvidence: evidence ?? undefined,
        paidVia: o.issuedBy === "operator" ? "operator" : "counter",
        issuedBy: o.issuedBy,
        purchasedAt: now,
      },
      select: TICKET_SELECT,
    });
    await appendAuditEvent(tx, {
      // The operator receives the ticket (and, for a discount, the shared predicate): the
      // resident's access log shows it as the operator's use, whoever started the purchase.
      type: "partner.api_access",
      actor: { type: "partner", id: o.partnerId },
      subjectResidentId: o.residentId,
      purpose: "バス乗車券の購入",
      channel: o.channel ?? (o.issuedBy === "operator" ? "api" : "pc"),
      requestMetadata: o.requestMetadata,
      data: {
        operation: "bus_ticket_issued",
        issuedBy: o.issuedBy,
        partnerId: o.partnerId,
        ticketId: ticket.id,
        product: product.code,
        eligibility: product.eligibility,
      },
    });
    return ticketDtoOf(ticket);
  }, BUS_TX_OPTIONS);
}

/** BUS_NOT_LINKED unless the resident has an active link (consent) with the operator. */
export async function requireLinked(
  tx: Prisma.TransactionClient,
  residentId: string,
  partnerId: string,
): Promise<{ partnerRef: string }> {
  const link = await tx.partnerResidentLink.findUnique({
    where: { partnerId_residentId: { partnerId, residentId } },
    select: { partnerRef: true, revokedAt: true },
  });
  if (!link || link.revokedAt) throw new AppError("BUS_NOT_LINKED");
  return { partnerRef: link.partnerRef };
}
