import { z } from "zod";
import { AppError } from "@/lib/errors/app-error";
import { parseCertificate } from "./certificate";
import {
  compareBytes,
  concat,
  encode,
  encodeInteger,
  encodeNull,
  encodeOctetString,
  encodeOid,
  encodeSequence,
  encodeSetOf,
  encodeTime,
  Tag,
} from "./der";
import { OID } from "./oids";
import { digest } from "./signature";

/**
 * CMS SignedData (RFC 5652 §5) in the CAdES-BES form (ETSI EN 319 122-1 §5.2): signed
 * attributes content-type, signing-time, message-digest and signing-certificate-v2 (RFC 5035
 * §3), SHA-256, one signer identified by issuer and serial, the signer certificate included.
 * Signing goes through WebCrypto so a PKCS#11-backed CryptoKey (the card agent) works too.
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

function attribute(oid: string, value: Uint8Array): Uint8Array {
  return encodeSequence(encodeOid(oid), encodeSetOf([value]));
}

const SHA256_ALG = encodeSequence(encodeOid(OID.sha256));

/** The signature algorithm identifier and WebCrypto parameters for `key`. */
function algorithmFor(key: CryptoKey): { alg: Uint8Array; params: AlgorithmIdentifier | RsaPssParams | EcdsaParams } {
  const name = key.algorithm.name;
  if (name === "RSASSA-PKCS1-v1_5") {
    return { alg: encodeSequence(encodeOid(OID.sha256WithRSA), encodeNull()), params: { name } };
  }
  if (name === "RSA-PSS") {
    // RSASSA-PSS-params: SHA-256, MGF1-SHA-256, salt 32 (RFC 4055 §3.1).
    const params = encodeSequence(
      encode(0xa0, SHA256_ALG),
      encode(0xa1, encodeSequence(encodeOid(OID.mgf1), SHA256_ALG)),
      encode(0xa2, encodeInteger(32n)),
    );
    return { alg: encodeSequence(encodeOid(OID.rsassaPss), params), params: { name, saltLength: 32 } };
  }
  if (name === "ECDSA") {
    return { alg: encodeSequence(encodeOid(OID.ecdsaWithSha256)), params: { name, hash: "SHA-256" } };
  }
  throw new AppError("ALGORITHM_UNSUPPORTED", { message: `cannot sign CMS with a ${name} key` });
}

/** IEEE P1363 r‖s → DER ECDSA-Sig-Value (RFC 5480 §2.2), as CMS requires. */
function p1363ToDer(sig: Uint8Array): Uint8Array {
  const half = sig.length / 2;
  const int = (b: Uint8Array) => encodeInteger(BigInt(`0x${Buffer.from(b).toString("hex")}`));
  return encodeSequence(int(sig.subarray(0, half)), int(sig.subarray(half)));
}

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
  const cert = parseCertificate(o.signerCertificate);
  const { alg, params } = algorithmFor(o.privateKey);
  const issuerSerial = encodeSequence(cert.issuer.der, encodeInteger(cert.serial));
  const essCertIdV2 = encodeSequence(
    // hashAlgorithm omitted: DEFAULT id-sha256 (RFC 5035 §5.4.1).
    encodeOctetString(digest("SHA-256", cert.der)),
    encodeSequence(encodeSequence(encode(0xa4, cert.issuer.der)), encodeInteger(cert.serial)),
  );
  const signedAttrItems = [
    attribute(OID.contentType, encodeOid(OID.data)),
    attribute(OID.signingTime, encodeTime(o.signingTime)),
    attribute(OID.messageDigest, encodeOctetString(digest("SHA-256", o.content))),
    attribute(OID.signingCertificateV2, encodeSequence(encodeSequence(essCertIdV2))),
  ];
  // The signature covers the DER SET OF (tag 0x31); it is stored with [0] IMPLICIT (RFC 5652 §5.4).
  const signedAttrsSet = encodeSetOf(signedAttrItems);
  let signature: Uint8Array = new Uint8Array(
    await globalThis.crypto.subtle.sign(params, o.privateKey, new Uint8Array(signedAttrsSet)),
  );
  if (o.privateKey.algorithm.name === "ECDSA") signature = p1363ToDer(signature);
  const signedAttrs = concat([Uint8Array.of(0xa0), signedAttrsSet.subarray(1)]);
  const signerInfo = encodeSequence(
    encodeInteger(1n),
    issuerSerial,
    SHA256_ALG,
    signedAttrs,
    alg,
    encodeOctetString(signature),
  );
  const encap = o.detached
    ? encodeSequence(encodeOid(OID.data))
    : encodeSequence(encodeOid(OID.data), encode(0xa0, encodeOctetString(o.content)));
  const certs = [cert.der, ...(o.certificates ?? [])].sort(compareBytes);
  const signedData = encodeSequence(
    encodeInteger(1n),
    encodeSetOf([SHA256_ALG]),
    encap,
    encode(0xa0, ...certs),
    encode(Tag.set, signerInfo),
  );
  return encodeSequence(encodeOid(OID.signedData), encode(0xa0, signedData));
}
