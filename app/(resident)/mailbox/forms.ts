/** The zod schemas of ./actions.ts's forms (a "use server" module exports only actions). */
import { z } from "zod";
import { ZSafeText } from "@/lib/http/safe-text";

export const ZArchiveForm = z.object({ documentId: z.uuid(), archived: z.enum(["1", "0"]) });

export const ZShareForm = z.object({
  documentId: z.uuid(),
  target: z.enum(["partner", "link"]),
  partnerId: ZSafeText.optional(),
});

export const ZRevokeForm = z.object({ shareId: z.uuid(), documentId: z.uuid() });
