import type { TDisasterContext } from "./context";

/** How far back box activity counts as a sign of someone at home, by default (3 hours). */
export const AT_HOME_WINDOW_MS = 3 * 60 * 60 * 1000;

export type TAtHomeEstimate = {
  residentId: string;
  /** The latest activity of a box in the resident's household that the resident opted in to. */
  lastActivityAt: Date;
  activity: "POWER_ON" | "POWER_OFF" | "REMOTE";
  boxId: string;
};

/**
 * "Probably at home": for each resident who opted in to a set-top box of their household (and has
 * not withdrawn), the box's latest heartbeat if it falls in [since, now]. A resident with no
 * opted-in box, or whose box was silent in the window, is absent from the result: no estimate,
 * never a guess. A last activity of POWER_OFF still counts: someone switched the TV off at home.
 */
export async function estimateAtHome(
  ctx: TDisasterContext,
  o: { residentIds: readonly string[]; since: Date; until: Date },
): Promise<Map<string, TAtHomeEstimate>> {
  const result = new Map<string, TAtHomeEstimate>();
  if (o.residentIds.length === 0) return result;
  const rows = await ctx.prisma.$queryRaw<
    { residentId: string; boxId: string; activity: TAtHomeEstimate["activity"]; at: Date }[]
  >`
    SELECT DISTINCT ON (oi."residentId") oi."residentId", h."boxId", h."activity"::text AS "activity", h."at"
      FROM "SetTopBoxOptIn" oi
      JOIN "SetTopBox" b ON b."id" = oi."boxId"
      JOIN "Resident" r ON r."id" = oi."residentId" AND r."householdId" = b."householdId"
      JOIN "SetTopBoxHeartbeat" h ON h."boxId" = oi."boxId"
     WHERE oi."residentId" = ANY(${[...o.residentIds]}::uuid[])
       AND oi."withdrawnAt" IS NULL
       AND h."at" >= ${o.since} AND h."at" <= ${o.until}
     ORDER BY oi."residentId", h."at" DESC`;
  for (const r of rows) {
    result.set(r.residentId, { residentId: r.residentId, boxId: r.boxId, activity: r.activity, lastActivityAt: r.at });
  }
  return result;
}
