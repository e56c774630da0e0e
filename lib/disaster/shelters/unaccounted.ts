/**
 * Who is not yet accounted for under the active orders: a resident of a district with an ACTIVE
 * order is accounted for once they answered any of the district's active orders (SafetyReply,
 * safe or needs help) or have an open shelter check-in. Pure, so the rule is tested without a
 * database.
 */
export type TUnaccountedInput = {
  /** Residents living in districts with an active order. */
  residents: readonly { id: string; districtId: string }[];
  /** Resident ids with a safety reply to an active order of their own district. */
  replied: ReadonlySet<string>;
  /** Resident ids with an open check-in at any shelter. */
  checkedIn: ReadonlySet<string>;
};

export type TDistrictAccounting = {
  districtId: string;
  residents: number;
  replied: number;
  checkedIn: number;
  /** Ids of the residents neither replied nor checked in. */
  unaccounted: string[];
};

export function accountResidents(input: TUnaccountedInput): Map<string, TDistrictAccounting> {
  const out = new Map<string, TDistrictAccounting>();
  for (const r of input.residents) {
    let d = out.get(r.districtId);
    if (!d) {
      d = { districtId: r.districtId, residents: 0, replied: 0, checkedIn: 0, unaccounted: [] };
      out.set(r.districtId, d);
    }
    d.residents += 1;
    const replied = input.replied.has(r.id);
    const inShelter = input.checkedIn.has(r.id);
    if (replied) d.replied += 1;
    if (inShelter) d.checkedIn += 1;
    if (!replied && !inShelter) d.unaccounted.push(r.id);
  }
  return out;
}
