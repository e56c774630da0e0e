import { servePartnerCrl } from "@/jlis-sim/partner-ca/serve-partner-crl";

// The simulated partner CA's CRL (development, sandbox and e2e): what a commercial organisation
// CA publishes at its CRL distribution point. The delivery path downloads it from
// PARTNER_CA_CRL_URL like any other CRL (lib/mailbox/issuer-trust.ts).
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

// GET /partner-ca/crl – the current CRL (DER), re-signed by the simulator when due
export function GET(request: Request): Promise<Response> {
  return servePartnerCrl(request);
}
