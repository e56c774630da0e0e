import { constants, createHash, createPublicKey, type KeyObject, publicDecrypt, verify } from "node:crypto";
import { z } from "zod";
import { AppError } from "@/lib/errors/app-error";
import { issueDetails } from "@/lib/errors/zod-issues";
import { type TAlgorithm, parseAlgorithm } from "./certificate";
import {
  Cursor,
  derError,
  encode,
  encodeNull,
  encodeOid,
  encodeSequence,
  readBitStringBytes,
  readOid,
  readRoot,
  readSmallInt,
  readTlv,
  Tag,
  concat,
} from "./der";
import { HASH_BY_OID, NODE_HASH, OID, type THashName } from "./oids";

/**
 * Signature primitives on node:crypto (OpenSSL), which is several times faster than WebCrypto
 * through pkijs for verification. Bad signatures give `false`; malformed keys or arguments give
 * a typed AppError (KEY_MALFORMED, ALGORITHM_UNSUPPORTED, VALIDATION_FAILED).
 */

const ZHash = z.enum(["SHA-1", "SHA-224", "SHA-256", "SHA-384", "SHA-512"]);
const ZBytes = z.instanceof(Uint8Array);

/** Smallest RSA modulus accepted; JPKI requires ≥ 2048 (施行規則 第2条, docs/jpki.md#roots-and-hierarchies). */
export const MIN_RSA_BITS = 2048;

type TKeyInfo = { key: KeyObject; kind: "rsa" | "ec" | "ed25519"; bits: number; curve?: string };

const KEY_CACHE_MAX = 2048;
const keyCache = new Map<string, TKeyInfo>();

function parseArgs<T>(schema: z.ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input);
  if (!r.success) {
    throw new AppError("VALIDATION_FAILED", {
      message: `invalid arguments: ${issueDetails(r.error)
        .map((d) => `${d.field}: ${d.message}`)
        .join("; ")}`,
    });
  }
  return r.data;
}

/**
 * Imports a SubjectPublicKeyInfo once and caches the KeyObject. RSASSA-PSS keys (RFC 4055 §1.2)
 * are re-wrapped as rsaEncryption so the raw RSA operation works; PSS parameters are then
 * enforced by the caller's algorithm.
 */
export function importSpki(spki: Uint8Array): TKeyInfo {
  const cacheKey = Buffer.from(spki.buffer, spki.byteOffset, spki.byteLength).toString("latin1");
  const hit = keyCache.get(cacheKey);
  if (hit) return hit;
  let info: TKeyInfo;
  try {
    if (spki.length > 16 * 1024) throw new AppError("INPUT_TOO_LARGE", { message: "public key too large" });
    const root = readRoot(spki, Tag.sequence);
    const c = new Cursor(spki, root);
    const alg = parseAlgorithm(spki, c.next(Tag.sequence));
    const bits = readBitStringBytes(spki, c.next(Tag.bitString));
    c.end();
    let der = spki;
    if (alg.oid === OID.rsassaPss) {
      der = encodeSequence(
        encodeSequence(encodeOid(OID.rsaEncryption), encodeNull()),
        encode(Tag.bitString, concat([Uint8Array.of(0), bits])),
      );
    } else if (alg.oid !== OID.rsaEncryption && alg.oid !== OID.ecPublicKey && alg.oid !== OID.ed25519) {
      throw new AppError("ALGORITHM_UNSUPPORTED", { message: `public key algorithm ${alg.oid}` });
    }
    const key = createPublicKey({ key: Buffer.from(der), format: "der", type: "spki" });
    const d = key.asymmetricKeyDetails ?? {};
    if (key.asymmetricKeyType === "rsa") {
      info = { key, kind: "rsa", bits: d.modulusLength ?? 0 };
    } else if (key.asymmetricKeyType === "ec") {
      const curve = d.namedCurve ?? "";
      if (!["prime256v1", "secp384r1", "secp521r1"].includes(curve)) {
        throw new AppError("ALGORITHM_UNSUPPORTED", { message: `elliptic curve ${curve || "unknown"}` });
      }
      info = { key, kind: "ec", bits: 0, curve };
    } else if (key.asymmetricKeyType === "ed25519") {
      info = { key, kind: "ed25519", bits: 256 };
    } else {
      throw new AppError("ALGORITHM_UNSUPPORTED", { message: `key type ${key.asymmetricKeyType}` });
    }
  } catch (err) {
    if (err instanceof AppError && err.code !== "DER_MALFORMED") throw err;
    throw new AppError("KEY_MALFORMED", { message: err instanceof Error ? err.message : "bad key", cause: err });
  }
  if (info.kind === "rsa" && info.bits < MIN_RSA_BITS) {
    throw new AppError("ALGORITHM_UNSUPPORTED", { message: `RSA key of ${info.bits} bits is below ${MIN_RSA_BITS}` });
  }
  if (keyCache.size >= KEY_CACHE_MAX) keyCache.delete(keyCache.keys().next().value as string);
  keyCache.set(cacheKey, info);
  return info;
}

function requireKind(info: TKeyInfo, kind: TKeyInfo["kind"]): void {
  if (info.kind !== kind) {
    throw new AppError("ALGORITHM_UNSUPPORTED", { message: `a ${info.kind} key cannot verify a ${kind} signature` });
  }
}

function rsaPkcs1Sync(info: TKeyInfo, hash: THashName, message: Uint8Array, signature: Uint8Array): boolean {
  requireKind(info, "rsa");
  try {
    return verify(NODE_HASH[hash], message, { key: info.key, padding: constants.RSA_PKCS1_PADDING }, signature);
  } catch {
    return false;
  }
}

/**
 * EMSA-PSS-VERIFY (RFC 8017 §9.1.2) in JS over the raw RSA result, for the case OpenSSL's
 * one-shot verify cannot express: an MGF1 hash different from the message hash.
 */
function pssManual(
  info: TKeyInfo,
  hash: THashName,
  mgfHash: THashName,
  saltLength: number,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  const k = Math.ceil(info.bits / 8);
  if (signature.length !== k) return false;
  let em: Buffer;
  try {
    em = publicDecrypt({ key: info.key, padding: constants.RSA_NO_PADDING }, signature);
  } catch {
    return false;
  }
  const emBits = info.bits - 1;
  const emLen = Math.ceil(emBits / 8);
  if (em.length > emLen) {
    if (em[0] !== 0) return false;
    em = em.subarray(em.length - emLen);
  }
  const mHash = createHash(NODE_HASH[hash]).update(message).digest();
  const hLen = mHash.length;
  if (emLen < hLen + saltLength + 2 || em[emLen - 1] !== 0xbc) return false;
  const maskedDb = em.subarray(0, emLen - hLen - 1);
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  const zeroBits = 8 * emLen - emBits;
  if (maskedDb[0]! & (0xff << (8 - zeroBits)) & 0xff) return false;
  const mgf = Buffer.alloc(maskedDb.length);
  const mgfLen = createHash(NODE_HASH[mgfHash]).digest().length;
  for (let counter = 0, o = 0; o < mgf.length; counter++, o += mgfLen) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    createHash(NODE_HASH[mgfHash]).update(h).update(c).digest().copy(mgf, o);
  }
  const db = Buffer.alloc(maskedDb.length);
  for (let i = 0; i < db.length; i++) db[i] = maskedDb[i]! ^ mgf[i]!;
  db[0]! &= 0xff >> zeroBits;
  const psLen = emLen - hLen - saltLength - 2;
  for (let i = 0; i < psLen; i++) if (db[i] !== 0) return false;
  if (db[psLen] !== 0x01) return false;
  const salt = db.subarray(db.length - saltLength);
  const h2 = createHash(NODE_HASH[hash]).update(Buffer.alloc(8)).update(mHash).update(salt).digest();
  return h2.equals(h);
}

function rsaPssSync(
  info: TKeyInfo,
  hash: THashName,
  mgfHash: THashName,
  saltLength: number,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  requireKind(info, "rsa");
  if (mgfHash !== hash) return pssManual(info, hash, mgfHash, saltLength, message, signature);
  try {
    return verify(
      NODE_HASH[hash],
      message,
      { key: info.key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength },
      signature,
    );
  } catch {
    return false;
  }
}

function ecdsaSync(
  info: TKeyInfo,
  hash: THashName,
  encoding: "der" | "p1363",
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  requireKind(info, "ec");
  try {
    return verify(
      NODE_HASH[hash],
      message,
      { key: info.key, dsaEncoding: encoding === "der" ? "der" : "ieee-p1363" },
      signature,
    );
  } catch {
    return false;
  }
}

const ZPkcs1 = z.object({ publicKeySpki: ZBytes, message: ZBytes, signature: ZBytes, hash: ZHash });

/** RSASSA-PKCS1-v1_5 verification (RFC 8017 §8.2.2). The JPKI card signs this way (docs/jpki.md#roots-and-hierarchies). */
export async function verifyRsaPkcs1(options: {
  publicKeySpki: Uint8Array;
  message: Uint8Array;
  signature: Uint8Array;
  hash: THashName;
}): Promise<boolean> {
  const o = parseArgs(ZPkcs1, options);
  return rsaPkcs1Sync(importSpki(o.publicKeySpki), o.hash, o.message, o.signature);
}

const ZPss = ZPkcs1.extend({ mgfHash: ZHash, saltLength: z.number().int().min(0).max(512) });

/** RSASSA-PSS verification (RFC 8017 §8.1.2) with an explicit MGF1 hash and salt length. */
export async function verifyRsaPss(options: {
  publicKeySpki: Uint8Array;
  message: Uint8Array;
  signature: Uint8Array;
  hash: THashName;
  mgfHash: THashName;
  saltLength: number;
}): Promise<boolean> {
  const o = parseArgs(ZPss, options);
  return rsaPssSync(importSpki(o.publicKeySpki), o.hash, o.mgfHash, o.saltLength, o.message, o.signature);
}

const ZEcdsa = ZPkcs1.extend({ signatureEncoding: z.enum(["der", "p1363"]) });

/** ECDSA verification (FIPS 186-4; DER per RFC 5480 §2.2 or IEEE P1363 r‖s as WebCrypto emits). */
export async function verifyEcdsa(options: {
  publicKeySpki: Uint8Array;
  message: Uint8Array;
  signature: Uint8Array;
  hash: THashName;
  signatureEncoding: "der" | "p1363";
}): Promise<boolean> {
  const o = parseArgs(ZEcdsa, options);
  return ecdsaSync(importSpki(o.publicKeySpki), o.hash, o.signatureEncoding, o.message, o.signature);
}

/** RSASSA-PSS-params (RFC 4055 §3.1) with their defaults (SHA-1, MGF1-SHA-1, 20). */
export function parsePssParams(params: Uint8Array | undefined): {
  hash: THashName;
  mgfHash: THashName;
  saltLength: number;
} {
  let hash: THashName = "SHA-1";
  let mgfHash: THashName = "SHA-1";
  let saltLength = 20;
  if (!params) derError("RSASSA-PSS without parameters");
  const root = readRoot(params, Tag.sequence);
  const c = new Cursor(params, root);
  const hashTlv = c.optional(0xa0);
  if (hashTlv) {
    const alg = parseAlgorithm(params, readTlv(params, hashTlv.start, hashTlv.end));
    const h = HASH_BY_OID[alg.oid];
    if (!h) throw new AppError("ALGORITHM_UNSUPPORTED", { message: `PSS hash ${alg.oid}` });
    hash = h;
  }
  const mgfTlv = c.optional(0xa1);
  if (mgfTlv) {
    const alg = parseAlgorithm(params, readTlv(params, mgfTlv.start, mgfTlv.end));
    if (alg.oid !== OID.mgf1 || !alg.params) throw new AppError("ALGORITHM_UNSUPPORTED", { message: "PSS MGF" });
    const inner = readRoot(alg.params, Tag.sequence);
    const h = HASH_BY_OID[readOid(alg.params, new Cursor(alg.params, inner).next(Tag.oid))];
    if (!h) throw new AppError("ALGORITHM_UNSUPPORTED", { message: "PSS MGF1 hash" });
    mgfHash = h;
  }
  const saltTlv = c.optional(0xa2);
  if (saltTlv) saltLength = readSmallInt(params, readTlv(params, saltTlv.start, saltTlv.end));
  const trailer = c.optional(0xa3);
  if (trailer && readSmallInt(params, readTlv(params, trailer.start, trailer.end)) !== 1) {
    throw new AppError("ALGORITHM_UNSUPPORTED", { message: "PSS trailer field other than 1" });
  }
  c.end();
  if (saltLength > 512) derError("PSS salt length out of range");
  return { hash, mgfHash, saltLength };
}

const RSA_PKCS1: Readonly<Record<string, THashName>> = {
  [OID.sha1WithRSA]: "SHA-1",
  [OID.sha256WithRSA]: "SHA-256",
  [OID.sha384WithRSA]: "SHA-384",
  [OID.sha512WithRSA]: "SHA-512",
};
const ECDSA: Readonly<Record<string, THashName>> = {
  [OID.ecdsaWithSha256]: "SHA-256",
  [OID.ecdsaWithSha384]: "SHA-384",
  [OID.ecdsaWithSha512]: "SHA-512",
};

/** Signature algorithms a certificate, CRL, OCSP response or CMS signer may use. */
export type TSignatureOptions = { allowSha1?: boolean };

/**
 * Verifies `signature` over `data` with the X.509 AlgorithmIdentifier `alg` (RFC 5280 §4.1.1.2,
 * RFC 4055, RFC 5758). SHA-1 signatures are refused unless `allowSha1` (OCSP CertIDs still use
 * SHA-1 as a hash, which is a different matter). Throws ALGORITHM_UNSUPPORTED for anything else.
 */
export function verifyWithAlgorithm(
  alg: TAlgorithm,
  spki: Uint8Array,
  data: Uint8Array,
  signature: Uint8Array,
  options: TSignatureOptions = {},
): boolean {
  const info = importSpki(spki);
  const pkcs1 = RSA_PKCS1[alg.oid];
  // RFC 4055 §5: the parameters of the PKCS#1 v1.5 algorithms are NULL (absent is tolerated, as
  // old encoders omit them); RFC 5758 §3.2: ECDSA has none. Anything else is not that algorithm
  // (and, outside a certificate's signed copy, an unsigned byte an attacker could change).
  const params = alg.params;
  const paramsOk =
    params === undefined ||
    (pkcs1 !== undefined && params.length === 2 && params[0] === 0x05 && params[1] === 0x00) ||
    (pkcs1 === undefined && ECDSA[alg.oid] === undefined);
  if (!paramsOk) {
    throw new AppError("ALGORITHM_UNSUPPORTED", {
      message: `unexpected parameters for signature algorithm ${alg.oid}`,
    });
  }
  if (pkcs1) {
    if (pkcs1 === "SHA-1" && !options.allowSha1) {
      throw new AppError("ALGORITHM_UNSUPPORTED", { message: "sha1WithRSAEncryption is not accepted" });
    }
    return rsaPkcs1Sync(info, pkcs1, data, signature);
  }
  if (alg.oid === OID.rsassaPss) {
    const p = parsePssParams(alg.params);
    if ((p.hash === "SHA-1" || p.mgfHash === "SHA-1") && !options.allowSha1) {
      throw new AppError("ALGORITHM_UNSUPPORTED", { message: "RSASSA-PSS with SHA-1 is not accepted" });
    }
    return rsaPssSync(info, p.hash, p.mgfHash, p.saltLength, data, signature);
  }
  const ec = ECDSA[alg.oid];
  if (ec) return ecdsaSync(info, ec, "der", data, signature);
  if (alg.oid === OID.ed25519) {
    requireKind(info, "ed25519");
    try {
      return verify(null, data, info.key, signature);
    } catch {
      return false;
    }
  }
  throw new AppError("ALGORITHM_UNSUPPORTED", { message: `signature algorithm ${alg.oid}` });
}

/** node:crypto digest of `data` with the named hash. */
export function digest(hash: THashName, ...data: Uint8Array[]): Uint8Array {
  const h = createHash(NODE_HASH[hash]);
  for (const d of data) h.update(d);
  return new Uint8Array(h.digest());
}
