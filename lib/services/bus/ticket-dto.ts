import type { Prisma } from "../../db/client";

export const TICKET_SELECT = {
  id: true,
  kind: true,
  ridesTotal: true,
  ridesRemaining: true,
  validFrom: true,
  validUntil: true,
  priceYen: true,
  eligibility: true,
  purchasedAt: true,
  product: { select: { code: true, nameJa: true, nameEn: true } },
} satisfies Prisma.BusTicketSelect;

type TTicketRow = Prisma.BusTicketGetPayload<{ select: typeof TICKET_SELECT }>;

/** A ticket book or pass as pages, the kiosk and the API see it. */
export type TBusTicketDto = {
  id: string;
  kind: "TICKET_BOOK" | "PASS";
  product: { code: string; nameJa: string; nameEn: string };
  ridesTotal: number | null;
  ridesRemaining: number | null;
  validFrom: string;
  validUntil: string | null;
  priceYen: number;
  eligibility: "NONE" | "AGE_70_PLUS" | "DISABILITY";
  purchasedAt: string;
};

export function ticketDtoOf(t: TTicketRow): TBusTicketDto {
  return {
    id: t.id,
    kind: t.kind,
    product: t.product,
    ridesTotal: t.ridesTotal,
    ridesRemaining: t.ridesRemaining,
    validFrom: t.validFrom.toISOString(),
    validUntil: t.validUntil?.toISOString() ?? null,
    priceYen: t.priceYen,
    eligibility: t.eligibility,
    purchasedAt: t.purchasedAt.toISOString(),
  };
}
