import { z } from "zod";
import { AppError } from "@/lib/errors/app-error";
import { parseCertificate } from "./certificate";
import { buildCades } from "./cades";

/**
 * CMS SignedData (RFC 5652 §5) in the CAdES-BES form (ETSI EN 319 122-1 §5.2): signed
 * attributes content-type, signing-time, message-digest and signing-certificate-v2 (RFC 5035
 * §3), SHA-256, one signer identified by issuer and serial, the signer certificate included.
 * Signing goes through WebCrypto so a PKCS#11-backed CryptoKey (the card agent) works too; the
 * structure is ./cades.ts, shared with the browser, where the card agent signs (app/_lib/card/cades-sign.ts).
 */

const ZOptions = z.object({
  content: z.instanceof(Uint8Array),
  signerCertificate: z.instanceof(Uint8Array),
  privateKey: z.custom<CryptoKey>((k) => typeof k === "object" && k !== null && "algorithm" in k, "a CryptoKey"),
  detached: z.boolean(),
  signingTime: z.date(),
  certificates: z.array(z.instanceof(Uint8Array)).max(16).optional(),
});

/** Options of {@link signCms}. */
export type TSignCmsOptions = {
  content: Uint8Array;
  signerCertificate: Uint8Array;
  /** RSASSA-PKCS1-v1_5, RSA-PSS or ECDSA private key matching the certificate. */
  privateKey: CryptoKey;
  /** true: eContent omitted (the mailbox signs its canonical payload detached). */
  detached: boolean;
  signingTime: Date;
  /** Extra certificates to include (intermediates). */
  certificates?: Uint8Array[];
};

/**
 * Signs `content` and returns the DER ContentInfo of a CAdES-BES SignedData.
 * Throws VALIDATION_FAILED, CERT_MALFORMED, ALGORITHM_UNSUPPORTED.
 */
export async function signCms(options: TSignCmsOptions): Promise<Uint8Array> {
  const parsed = ZOptions.safeParse(options);
  if (!parsed.success) {
    throw new AppError("VALIDATION_FAILED", { message: parsed.error.issues.map((i) => i.message).join("; ") });
  }
  const o = parsed.data;
  // Parsed for its checks (CERT_MALFORMED before anything is signed).
  parseCertificate(o.signerCertificate);
  const name = o.privateKey.algorithm.name;
  if (name !== "RSASSA-PKCS1-v1_5" && name !== "RSA-PSS" && name !== "ECDSA") {
    throw new AppError("ALGORITHM_UNSUPPORTED", { message: `cannot sign CMS with a ${name} key` });
  }
  const params: AlgorithmIdentifier | RsaPssParams | EcdsaParams =
    name === "RSA-PSS" ? { name, saltLength: 32 } : name === "ECDSA" ? { name, hash: "SHA-256" } : { name };
  return buildCades({
    content: o.content,
    signerCertificate: o.signerCertificate,
    algorithm: name,
    sign: async (data) =>
      new Uint8Array(await globalThis.crypto.subtle.sign(params, o.privateKey, new Uint8Array(data))),
    detached: o.detached,
    signingTime: o.signingTime,
    certificates: o.certificates,
  });
}
