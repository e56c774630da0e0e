/** The zod schemas of ./actions.ts's forms (a "use server" module exports only actions). */
import { z } from "zod";
import { ZSafeText } from "@/lib/http/safe-text";
import { OIDC_CLAIMS } from "@/lib/oidc/claims";

const lines = (v: string) =>
  v
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

export const ZCreateOidcClientForm = z.object({
  id: ZSafeText,
  name: ZSafeText,
  nameEn: ZSafeText,
  redirectUris: ZSafeText.transform(lines),
  postLogoutRedirectUris: ZSafeText.default("").transform(lines),
  scopes: z.array(z.enum(OIDC_CLAIMS)),
  sectorIdentifier: ZSafeText,
});

export const ZDisableOidcClientForm = z.object({ id: ZSafeText.pipe(z.string().min(1).max(40)) });
