import { createHash } from "node:crypto";
import { env, resolveDataPath } from "@/lib/env";
import { currentPartnerCrl } from "./partner-ca";

/**
 * The HTTP answer of the simulated partner CA's CRL distribution point: the current CRL of
 * PARTNER_CA_DIR (the CA is created on first use, so development and e2e need no set-up), with
 * an ETag so that verifiers revalidate it cheaply on every verification (304 when unchanged).
 */
export async function servePartnerCrl(request?: Request, o: { dir?: string; now?: Date } = {}): Promise<Response> {
  const der = await currentPartnerCrl(o.dir ?? resolveDataPath(env().PARTNER_CA_DIR), o.now ?? new Date());
  const etag = `"${createHash("sha256").update(der).digest("base64url")}"`;
  const headers = { etag, "cache-control": "no-cache" };
  if (request?.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  return new Response(new Uint8Array(der), { headers: { ...headers, "content-type": "application/pkix-crl" } });
}
