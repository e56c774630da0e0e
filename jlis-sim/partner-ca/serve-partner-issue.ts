import { randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { secretsEncryptionKey } from "@/lib/crypto/secret-box";
import { env, resolveDataPath } from "@/lib/env";
import { partnerCaIssueToken } from "@/lib/partners/partner-ca-client";
import { RSA_SHA256 } from "../ca/ca";
import { issueOrganizationCertificate, openPartnerCa } from "./partner-ca";

/** How long an organisation certificate of the simulator is valid. */
export const ORGANIZATION_CERTIFICATE_VALIDITY_MS = 2 * 365 * 86_400_000;

const ZIssue = z.object({
  subjectPublicKeyInfo: z.base64().max(4096),
  organizationName: z.string().trim().min(1).max(128),
  partnerSlug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
});

function problem(status: number, code: string): Response {
  return Response.json({ error: { code } }, { status });
}

async function importSpki(der: Uint8Array<ArrayBuffer>): Promise<CryptoKey | null> {
  const algorithms = [RSA_SHA256, { name: "ECDSA", namedCurve: "P-256" }, { name: "ECDSA", namedCurve: "P-384" }];
  for (const algorithm of algorithms) {
    try {
      return await globalThis.crypto.subtle.importKey("spki", der, algorithm, true, ["verify"]);
    } catch {
      // not this algorithm
    }
  }
  return null;
}

/**
 * POST /partner-ca/issue of the simulated organisation CA: certify a partner's public key (what a
 * commercial CA does after checking the organisation). Only the portal, which proves it holds the
 * same SECRETS_ENCRYPTION_KEY (bearer token of lib/partners/partner-ca-client.ts), may ask. The
 * serial is 64 random bits; validity 2 years from a minute ago.
 */
export async function servePartnerIssue(request: Request, o: { dir?: string; now?: Date } = {}): Promise<Response> {
  const config = env();
  const expected = Buffer.from(`Bearer ${partnerCaIssueToken(secretsEncryptionKey(config))}`);
  const given = Buffer.from(request.headers.get("authorization") ?? "");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return problem(401, "UNAUTHENTICATED");
  const parsed = ZIssue.safeParse(await request.json().catch(() => null));
  if (!parsed.success) return problem(422, "VALIDATION_FAILED");
  const publicKey = await importSpki(new Uint8Array(Buffer.from(parsed.data.subjectPublicKeyInfo, "base64")));
  if (!publicKey) return problem(422, "VALIDATION_FAILED");
  const now = o.now ?? new Date();
  const ca = await openPartnerCa(o.dir ?? resolveDataPath(config.PARTNER_CA_DIR), now);
  const serial = randomBytes(8);
  serial[0] = (serial[0]! & 0x7f) | 0x01;
  const der = await issueOrganizationCertificate({
    ca,
    subjectPublicKey: publicKey,
    serialNumber: BigInt(`0x${serial.toString("hex")}`),
    organizationName: parsed.data.organizationName,
    partnerSlug: parsed.data.partnerSlug,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + ORGANIZATION_CERTIFICATE_VALIDITY_MS),
  });
  return new Response(new Uint8Array(der), { headers: { "content-type": "application/pkix-cert" } });
}
