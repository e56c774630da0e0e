import { AppError } from "@/lib/errors/app-error";
import {
  Cursor,
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
  readRoot,
  Tag,
  tlvBytes,
} from "./der";
import { OID } from "./oids";
import { digest } from "./signature";

/**
 * The CAdES-BES structure (ETSI EN 319 122-1 §5.2, RFC 5652 §5) without the signing itself: the
 * signed attributes content-type, signing-time, message-digest and signing-certificate-v2
 * (RFC 5035 §3) and the SignedData around one signature. The signature over the DER of the
 * signed attributes comes from a callback, so the same code serves a software key on the server
 * (./cms-sign.ts) and the card's signing key through the card agent in the browser
 * (app/_lib/card/cades-sign.ts), where the private key never leaves the card.
 *
 * Browser-safe on purpose: WebCrypto digests, the DER writer of ./der.ts, no node:crypto, no
 * Buffer. Only SHA-256, and only the signature algorithms a JPKI card or an organisation key uses.
 */

/** The signature algorithms the builder can label; the callback must sign with the matching one. */
export type TCadesAlgorithm = "RSASSA-PKCS1-v1_5" | "RSA-PSS" | "ECDSA";

/** Options of {@link buildCades}. */
export type TBuildCadesOptions = {
  content: Uint8Array;
  /** DER of the signer certificate (included in the SignedData). */
  signerCertificate: Uint8Array;
  algorithm: TCadesAlgorithm;
  /**
   * Signs the DER SET OF the signed attributes with SHA-256 and the signer's key; returns the raw
   * WebCrypto signature (PKCS#1 v1.5 / PSS bytes, or IEEE P1363 r‖s for ECDSA).
   */
  sign: (signedAttributes: Uint8Array) => Promise<Uint8Array>;
  /** true: eContent omitted (the signer keeps the content beside the signature). */
  detached: boolean;
  signingTime: Date;
  /** Extra certificates to include (intermediates). */
  certificates?: Uint8Array[];
};

const SHA256_ALG = encodeSequence(encodeOid(OID.sha256));

/** SHA-256 on the calling thread: a digest of a few kilobytes costs less than a WebCrypto job's round trip. */
async function sha256(data: Uint8Array): Promise<Uint8Array> {
  return digest("SHA-256", data);
}

/** issuer Name (DER) and serialNumber INTEGER (DER) of a certificate, read from its tbsCertificate. */
export function issuerAndSerialOf(certificate: Uint8Array): { issuer: Uint8Array; serial: Uint8Array } {
  const top = new Cursor(certificate, readRoot(certificate, Tag.sequence));
  const tbs = new Cursor(certificate, top.next(Tag.sequence));
  tbs.optional(0xa0); // version
  const serial = tlvBytes(certificate, tbs.next(Tag.integer));
  tbs.next(Tag.sequence); // signature algorithm
  const issuer = tlvBytes(certificate, tbs.next(Tag.sequence));
  return { issuer, serial };
}

/** The signature AlgorithmIdentifier of the SignerInfo (RFC 4055, RFC 5758). */
function algorithmIdentifier(algorithm: TCadesAlgorithm): Uint8Array {
  if (algorithm === "RSASSA-PKCS1-v1_5") return encodeSequence(encodeOid(OID.sha256WithRSA), encodeNull());
  if (algorithm === "RSA-PSS") {
    // RSASSA-PSS-params: SHA-256, MGF1-SHA-256, salt 32 (RFC 4055 §3.1).
    const params = encodeSequence(
      encode(0xa0, SHA256_ALG),
      encode(0xa1, encodeSequence(encodeOid(OID.mgf1), SHA256_ALG)),
      encode(0xa2, encodeInteger(32n)),
    );
    return encodeSequence(encodeOid(OID.rsassaPss), params);
  }
  if (algorithm === "ECDSA") return encodeSequence(encodeOid(OID.ecdsaWithSha256));
  throw new AppError("ALGORITHM_UNSUPPORTED", { message: `cannot sign CMS with ${String(algorithm)}` });
}

/** A non-negative INTEGER from big-endian bytes. */
function unsignedInteger(bytes: Uint8Array): Uint8Array {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const body = bytes.subarray(i);
  return encode(Tag.integer, body[0]! & 0x80 ? concat([Uint8Array.of(0), body]) : body);
}

/** IEEE P1363 r‖s → DER ECDSA-Sig-Value (RFC 5480 §2.2), as CMS requires. */
function p1363ToDer(sig: Uint8Array): Uint8Array {
  const half = sig.length / 2;
  return encodeSequence(unsignedInteger(sig.subarray(0, half)), unsignedInteger(sig.subarray(half)));
}

function attribute(oid: string, value: Uint8Array): Uint8Array {
  return encodeSequence(encodeOid(oid), encodeSetOf([value]));
}

/**
 * The DER SET OF the four CAdES-BES signed attributes — exactly the bytes the signature covers
 * (RFC 5652 §5.4; stored in the SignerInfo with the [0] IMPLICIT tag instead of 0x31).
 */
export async function cadesSignedAttributes(o: {
  content: Uint8Array;
  signerCertificate: Uint8Array;
  signingTime: Date;
}): Promise<Uint8Array> {
  const { issuer, serial } = issuerAndSerialOf(o.signerCertificate);
  const essCertIdV2 = encodeSequence(
    // hashAlgorithm omitted: DEFAULT id-sha256 (RFC 5035 §5.4.1).
    encodeOctetString(await sha256(o.signerCertificate)),
    encodeSequence(encodeSequence(encode(0xa4, issuer)), serial),
  );
  return encodeSetOf([
    attribute(OID.contentType, encodeOid(OID.data)),
    attribute(OID.signingTime, encodeTime(o.signingTime)),
    attribute(OID.messageDigest, encodeOctetString(await sha256(o.content))),
    attribute(OID.signingCertificateV2, encodeSequence(encodeSequence(essCertIdV2))),
  ]);
}

/**
 * A CAdES-BES SignedData (DER ContentInfo) over `content`, the signature made by `sign`.
 * Throws CERT_MALFORMED/DER_MALFORMED for a bad certificate, ALGORITHM_UNSUPPORTED.
 */
export async function buildCades(o: TBuildCadesOptions): Promise<Uint8Array> {
  const alg = algorithmIdentifier(o.algorithm);
  const { issuer, serial } = issuerAndSerialOf(o.signerCertificate);
  const signedAttrsSet = await cadesSignedAttributes(o);
  let signature = await o.sign(signedAttrsSet);
  if (o.algorithm === "ECDSA") signature = p1363ToDer(signature);
  const signedAttrs = concat([Uint8Array.of(0xa0), signedAttrsSet.subarray(1)]);
  const signerInfo = encodeSequence(
    encodeInteger(1n),
    encodeSequence(issuer, serial),
    SHA256_ALG,
    signedAttrs,
    alg,
    encodeOctetString(signature),
  );
  const encap = o.detached
    ? encodeSequence(encodeOid(OID.data))
    : encodeSequence(encodeOid(OID.data), encode(0xa0, encodeOctetString(o.content)));
  const certs = [o.signerCertificate, ...(o.certificates ?? [])].sort(compareBytes);
  const signedData = encodeSequence(
    encodeInteger(1n),
    encodeSetOf([SHA256_ALG]),
    encap,
    encode(0xa0, ...certs),
    encode(Tag.set, signerInfo),
  );
  return encodeSequence(encodeOid(OID.signedData), encode(0xa0, signedData));
}
