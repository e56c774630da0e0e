/** The zod schemas of ./actions.ts's forms (a "use server" module exports only actions). */
import { z } from "zod";
import { ZSafeText } from "@/lib/http/safe-text";
import { ZCredentialMode } from "@/lib/partners/create-partner-credential";
import { ZApiScope } from "@/lib/partners/scopes";

// Each action runs for the logged-in partner user, its role checked first (partnerConsoleAction).
export const ZCreateForm = z.object({ mode: ZCredentialMode, scopes: z.array(ZApiScope).min(1) });

export const ZIdForm = z.object({ id: z.uuid() });

export const ZRotateForm = z.object({ id: z.uuid(), grace: z.coerce.number().int().min(0).max(604_800) });

export const ZScopeRequestForm = z.object({
  scopes: z.array(ZApiScope).min(1),
  reason: ZSafeText.trim().min(1).max(1000),
});
