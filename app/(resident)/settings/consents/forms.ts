/** The zod schemas of ./actions.ts's forms (a "use server" module exports only actions). */
import { z } from "zod";

export const ZRevokeConsentForm = z.object({ id: z.uuid(), kind: z.enum(["link", "share"]) });
