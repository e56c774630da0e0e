"use server";

import { residentAction, type TActionState } from "@/app/_server/action";
import { getDb } from "@/lib/db/client";
import { setTrafficMonitor } from "@/lib/reports/monitors";

/** The signed-in resident joins or leaves the traffic monitors (a consent in the ledger; lib audits it). */
export async function trafficMonitorAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return residentAction(
    async ({ resident, requestMetadata }) => {
      const join = formData.get("join") === "true";
      await setTrafficMonitor(await getDb(), { residentId: resident.residentId, join, requestMetadata });
      return { ok: true, subject: join ? "joined" : "left" };
    },
    { revalidate: "/roads" },
  );
}
