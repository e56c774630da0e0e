/** The zod schema of the consent form (posted to ./decision/route.ts). */
import { z } from "zod";
import { ZSafeText } from "@/lib/http/safe-text";
import { OIDC_CLAIMS } from "@/lib/oidc/claims";

export const ZSsoConsentForm = z.object({
  uid: ZSafeText.pipe(z.string().regex(/^[A-Za-z0-9_-]{10,64}$/)),
  claims: z.array(z.enum(OIDC_CLAIMS)).max(OIDC_CLAIMS.length),
  decision: z.enum(["approve", "cancel"]),
});
