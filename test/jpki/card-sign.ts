import type { IssuedCredential } from "../../jlis-sim/jlis";
import { buildCades } from "../../lib/jpki/cades";

const RS256 = { name: "RSASSA-PKCS1-v1_5" } as const;

/**
 * The card signs as the browser makes it do (app/_lib/card/cades-sign.ts): CAdES-BES over
 * `content`, attached, signed now with the credential's key. Base64 DER, as the pages post it.
 */
export async function cardSign(
  sign: Pick<IssuedCredential, "certificate" | "privateKey">,
  content: Uint8Array,
): Promise<string> {
  const der = await buildCades({
    content,
    signerCertificate: sign.certificate,
    algorithm: "RSASSA-PKCS1-v1_5",
    detached: false,
    signingTime: new Date(),
    sign: async (data) => new Uint8Array(await crypto.subtle.sign(RS256, sign.privateKey, new Uint8Array(data))),
  });
  return Buffer.from(der).toString("base64");
}
