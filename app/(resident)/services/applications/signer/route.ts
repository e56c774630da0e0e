import { residentRoute } from "@/app/_server/route";
import { signerFacts } from "@/lib/services/applications/signer-facts";
import { readJson } from "../../_lib/read-json";

export const dynamic = "force-dynamic";

/** POST /services/applications/signer { signCertificate } → the four facts the certificate carries (shown before signing). */
export const POST = residentRoute(
  async (request) => Response.json(signerFacts(await readJson(request)), { headers: { "cache-control": "no-store" } }),
  { stepUp: true, message: "A card login is required." },
);
