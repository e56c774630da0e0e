import type { Prisma } from "../../db/client";

/** What a card holder has with the operator at `at`: rides left in books, and the latest valid pass. */
export type TBusBalance = { ridesRemaining: number; passValidUntil: string | null };

export async function busBalanceOf(
  db: Pick<Prisma.TransactionClient, "busTicket">,
  o: { residentId: string; partnerId: string; at: Date },
): Promise<TBusBalance> {
  const [books, pass] = await Promise.all([
    db.busTicket.aggregate({
      where: { residentId: o.residentId, partnerId: o.partnerId, kind: "TICKET_BOOK" },
      _sum: { ridesRemaining: true },
    }),
    db.busTicket.findFirst({
      where: {
        residentId: o.residentId,
        partnerId: o.partnerId,
        kind: "PASS",
        validFrom: { lte: o.at },
        validUntil: { gt: o.at },
      },
      orderBy: { validUntil: "desc" },
      select: { validUntil: true },
    }),
  ]);
  return { ridesRemaining: books._sum.ridesRemaining ?? 0, passValidUntil: pass?.validUntil?.toISOString() ?? null };
}
