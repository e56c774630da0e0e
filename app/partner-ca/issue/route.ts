import { servePartnerIssue } from "@/jlis-sim/partner-ca/serve-partner-issue";

// The simulated organisation CA's issuing endpoint (development, sandbox and e2e): staff
// onboarding a partner get its organisation certificate here (lib/partners/partner-ca-client.ts).
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

// POST /partner-ca/issue – certify a partner's public key (portal only: bearer token)
export function POST(request: Request): Promise<Response> {
  return servePartnerIssue(request);
}
