/** The zod schemas of ./actions.ts's forms (a "use server" module exports only actions). */
import { z } from "zod";
import { ZSafeText } from "@/lib/http/safe-text";

export const ZIds = z.object({ endpointId: z.uuid(), deliveryId: ZSafeText.min(1).max(100).optional() });
