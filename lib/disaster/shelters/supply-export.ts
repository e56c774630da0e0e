import { type TDisasterContext, disasterNow } from "../context";
import { suggestSupplies } from "./supplies";

export type TSupplyExportRow = {
  shelterCode: string;
  shelterName: string;
  headCount: number;
  item: string;
  people: number;
  quantity: number;
  unit: string;
  days: number;
  rule: string;
};

/**
 * Rows of the supply CSV: for every open shelter (code order) and every rule that counts someone
 * checked in there, the suggestion for `days` days with its rule (Japanese first, then English).
 */
export async function shelterSupplyRows(ctx: TDisasterContext, o: { days: number }): Promise<TSupplyExportRow[]> {
  const now = disasterNow(ctx);
  const shelters = await ctx.prisma.shelter.findMany({
    where: { open: true },
    select: {
      code: true,
      name: true,
      checkIns: {
        where: { checkedOutAt: null },
        select: { resident: { select: { needs: true, dateOfBirth: true } } },
      },
    },
    orderBy: { code: "asc" },
  });
  return shelters.flatMap((s) => {
    const people = s.checkIns.map((c) => c.resident);
    return suggestSupplies(people, { now, days: o.days }).map((l) => ({
      shelterCode: s.code,
      shelterName: s.name,
      headCount: people.length,
      item: `${l.item.ja} / ${l.item.en}`,
      people: l.people,
      quantity: l.quantity,
      unit: l.unit.ja,
      days: o.days,
      rule: `${l.rule.ja} / ${l.rule.en}`,
    }));
  });
}
