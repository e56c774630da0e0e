import type { PrismaClient } from "../../db/client";
import { busBalanceOf, type TBusBalance } from "./balance";
import { type TBusTicketDto, ticketDtoOf, TICKET_SELECT } from "./ticket-dto";

export type TBusProductOffer = {
  code: string;
  kind: "TICKET_BOOK" | "PASS";
  nameJa: string;
  nameEn: string;
  rides: number | null;
  validDays: number | null;
  priceYen: number;
  fareYen: number;
  eligibility: "NONE" | "AGE_70_PLUS" | "DISABILITY";
  /** Whether the resident agreed to share the predicate this product needs (always true for NONE). */
  shared: boolean;
};

export type TBusRideRow = {
  id: string;
  rideAt: string;
  status: "CHARGED" | "DEBT";
  source: "ONLINE" | "OFFLINE";
  terminal: string;
  fareYen: number;
  paidYen: number;
  discountYen: number;
  product: { nameJa: string; nameEn: string } | null;
  receiptDocumentId: string | null;
};

export type TBusOperatorAccount = {
  operator: { id: string; name: string; nameEn: string };
  linked: boolean;
  memberReference: string | null;
  shares: { AGE_70_PLUS: boolean; DISABILITY: boolean };
  balance: TBusBalance;
  offers: TBusProductOffer[];
  tickets: TBusTicketDto[];
  rides: TBusRideRow[];
};

/**
 * The resident's community bus in /services/bus: per active bus operator, whether they linked it,
 * the predicates they share, the balance now, the products on sale, their tickets and their last
 * rides (with the receipt in the mailbox). The resident's own data, read for the resident.
 */
export async function viewBusAccount(
  prisma: PrismaClient,
  o: { residentId: string; now?: Date; rideLimit?: number },
): Promise<TBusOperatorAccount[]> {
  const now = o.now ?? new Date();
  const operators = await prisma.partner.findMany({
    where: { kind: "BUS_OPERATOR", active: true, busProducts: { some: { active: true } } },
    select: { id: true, name: true, nameEn: true },
    orderBy: { slug: "asc" },
  });
  return Promise.all(
    operators.map(async (op) => {
      const [link, shares, products, tickets, rides, balance] = await Promise.all([
        prisma.partnerResidentLink.findUnique({
          where: { partnerId_residentId: { partnerId: op.id, residentId: o.residentId } },
          select: { partnerRef: true, revokedAt: true },
        }),
        prisma.busEligibilityShare.findMany({
          where: { partnerId: op.id, residentId: o.residentId, revokedAt: null },
          select: { predicate: true },
        }),
        prisma.busProduct.findMany({
          where: { partnerId: op.id, active: true },
          orderBy: [{ eligibility: "asc" }, { kind: "asc" }, { priceYen: "asc" }],
        }),
        prisma.busTicket.findMany({
          where: { partnerId: op.id, residentId: o.residentId },
          select: TICKET_SELECT,
          orderBy: { purchasedAt: "desc" },
          take: 20,
        }),
        prisma.busRide.findMany({
          where: { partnerId: op.id, residentId: o.residentId },
          select: {
            id: true,
            rideAt: true,
            status: true,
            source: true,
            fareYen: true,
            paidYen: true,
            discountYen: true,
            receiptDocumentId: true,
            device: { select: { label: true } },
            ticket: { select: { product: { select: { nameJa: true, nameEn: true } } } },
          },
          orderBy: { rideAt: "desc" },
          take: o.rideLimit ?? 20,
        }),
        busBalanceOf(prisma, { residentId: o.residentId, partnerId: op.id, at: now }),
      ]);
      const shared = new Set(shares.map((s) => s.predicate));
      const linked = Boolean(link && !link.revokedAt);
      return {
        operator: op,
        linked,
        memberReference: linked ? (link?.partnerRef ?? null) : null,
        shares: { AGE_70_PLUS: shared.has("AGE_70_PLUS"), DISABILITY: shared.has("DISABILITY") },
        balance,
        offers: products.map((p) => ({
          code: p.code,
          kind: p.kind,
          nameJa: p.nameJa,
          nameEn: p.nameEn,
          rides: p.rides,
          validDays: p.validDays,
          priceYen: p.priceYen,
          fareYen: p.fareYen,
          eligibility: p.eligibility,
          shared: p.eligibility === "NONE" || shared.has(p.eligibility),
        })),
        tickets: tickets.map(ticketDtoOf),
        rides: rides.map((r) => ({
          id: r.id,
          rideAt: r.rideAt.toISOString(),
          status: r.status,
          source: r.source,
          terminal: r.device.label,
          fareYen: r.fareYen,
          paidYen: r.paidYen,
          discountYen: r.discountYen,
          product: r.ticket?.product ?? null,
          receiptDocumentId: r.receiptDocumentId,
        })),
      };
    }),
  );
}
