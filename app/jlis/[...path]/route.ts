import { getProcessJlisHandler } from "@/jlis-sim/http/process-jlis";

// The simulated J-LIS (CRLs, OCSP, linking, latest four facts) for registered verifiers;
// all logic is in jlis-sim/http/http.ts. Development and sandbox only: a real deployment talks
// to J-LIS through its platform operator.
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

// GET /jlis/... – CRLs, OCSP (GET form), linking, latest four facts
export function GET(req: Request): Promise<Response> {
  return getProcessJlisHandler()(req);
}

// POST /jlis/ocsp – RFC 6960 OCSP request; POST /jlis/registry/changes – the registry changed a person's four facts
export function POST(req: Request): Promise<Response> {
  return getProcessJlisHandler()(req);
}
