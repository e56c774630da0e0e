/** The zod schemas of ./actions.ts's forms (a "use server" module exports only actions). */
import { z } from "zod";
import { ZSafeText } from "@/lib/http/safe-text";
import { ZPartnerPassword } from "@/lib/partners/partner-password";

// Field checks for the form's own messages; lib parses again and has the last word.
export const ZChangePasswordFields = z.object({
  currentPassword: ZSafeText.min(1, "currentPasswordRequired").max(1024, "invalid"),
  newPassword: ZPartnerPassword,
});
