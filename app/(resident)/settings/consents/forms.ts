/** The zod schemas of ./actions.ts's forms (a "use server" module exports only actions). */
import { z } from "zod";

export const ZRevokeConsentForm = z.union([
  z.object({ id: z.uuid(), kind: z.enum(["link", "share"]) }),
  // Single sign-on: every claim consented to one relying party (its client_id).
  z.object({ id: z.string().regex(/^[a-z0-9][a-z0-9-]{2,39}$/), kind: z.literal("sso") }),
]);
