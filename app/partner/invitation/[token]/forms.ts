/** The zod schema of ./actions.ts's form (a "use server" module exports only actions). */
import { z } from "zod";
import { ZSafeText } from "@/lib/http/safe-text";

// lib checks the token and the password rule (ZPartnerPassword) again and has the last word.
export const ZAcceptInvitationForm = z.object({
  token: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  password: ZSafeText.max(1024),
  confirmPassword: ZSafeText.max(1024),
});
