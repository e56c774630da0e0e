import { env, resolveDataPath } from "@/lib/env";
import { currentPartnerCrl } from "./partner-ca";

/**
 * The HTTP answer of the simulated partner CA's CRL distribution point: the current CRL of
 * PARTNER_CA_DIR (the CA is created on first use, so development and e2e need no set-up).
 */
export async function servePartnerCrl(now: Date = new Date()): Promise<Response> {
  const der = await currentPartnerCrl(resolveDataPath(env().PARTNER_CA_DIR), now);
  return new Response(new Uint8Array(der), {
    headers: { "content-type": "application/pkix-crl", "cache-control": "no-store" },
  });
}
