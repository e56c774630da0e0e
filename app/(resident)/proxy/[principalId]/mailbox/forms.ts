/** The zod schemas of ./actions.ts's forms (a "use server" module exports only actions). */
import { z } from "zod";

export const ZArchiveForm = z.object({ principalId: z.uuid(), documentId: z.uuid(), archived: z.enum(["1", "0"]) });
