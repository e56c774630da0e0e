/**
 * Development tool: builds a signed POST /api/v1/documents body by hand, as a partner integration
 * would. It issues an organisation certificate for the partner from the simulated partner CA in
 * PARTNER_CA_DIR (the same root the portal trusts), signs the RFC 8785 bytes of the payload, and
 * prints the JSON body.
 *
 *   npx tsx scripts/tools/make-signed-request.ts <partner-slug> "<organisation name>" <type> <partnerRef> [payload.json]
 *
 * Without a payload file it uses the type's example payload (lib/mailbox/document-types/examples.ts).
 */
import "reflect-metadata";
import { readFile } from "node:fs/promises";
import { env, resolveDataPath } from "@/lib/env";
import { generateRsaKeyPair } from "@/jlis-sim/ca/ca";
import { issueOrganizationCertificate, openPartnerCa } from "@/jlis-sim/partner-ca/partner-ca";
import { EXAMPLE_PAYLOADS } from "../../lib/mailbox/document-types/examples";
import { signPayload } from "../../test/mailbox/mailbox-world";

const [slug, organizationName, type, partnerRef, payloadFile] = process.argv.slice(2);
if (!slug || !organizationName || !type || !partnerRef) {
  console.error(
    'Usage: npx tsx scripts/tools/make-signed-request.ts <partner-slug> "<organisation name>" <type> <partnerRef> [payload.json]',
  );
  process.exit(2);
}
const payload = payloadFile ? JSON.parse(await readFile(payloadFile, "utf8")) : EXAMPLE_PAYLOADS[type];
if (!payload) {
  console.error(`No example payload for ${type}; pass a payload file.`);
  process.exit(2);
}
const ca = await openPartnerCa(resolveDataPath(env().PARTNER_CA_DIR));
const keys = await generateRsaKeyPair();
const now = Date.now();
const certificate = await issueOrganizationCertificate({
  ca,
  subjectPublicKey: keys.publicKey,
  serialNumber: BigInt(now),
  organizationName,
  partnerSlug: slug,
  notBefore: new Date(now - 3_600_000),
  notAfter: new Date(now + 365 * 86_400_000),
});
const signature = await signPayload({ certificate, privateKey: keys.privateKey }, payload);
console.log(JSON.stringify({ type, recipient: { partnerRef }, payload, signature }, null, 2));
