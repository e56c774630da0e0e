/** The zod schemas of ./actions.ts's forms (a "use server" module exports only actions). */
import { z } from "zod";
import { ZSafeText } from "@/lib/http/safe-text";

export const ZDecideForm = z.object({
  id: z.uuid(),
  decision: z.enum(["APPROVE", "REJECT"]),
  note: ZSafeText.trim().max(1000).optional(),
});

/** The action origins of one partner, one per line (lib/partners/set-action-origins.ts checks each). */
export const ZActionOriginsForm = z.object({
  partnerId: z.uuid(),
  origins: ZSafeText.max(6000),
});
