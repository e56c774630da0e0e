import { sha256Hex } from "@/lib/crypto/sha256";
import { AppError } from "@/lib/errors/app-error";
import type { TErrorCode } from "@/lib/errors/codes";
import {
  assertSize,
  Cursor,
  children,
  contentBytes,
  derError,
  readBigInt,
  readBitStringBytes,
  readBoolean,
  readNamedBits,
  readOid,
  readRoot,
  readSmallInt,
  readString,
  readTime,
  readTlv,
  serialHex,
  type Tlv,
  Tag,
  toHex,
  tlvBytes,
} from "./der";
import { parseName, type TName } from "./name";
import { OID } from "./oids";

/** Largest certificate accepted (real JPKI certificates are about 1.5–2 KB). */
export const MAX_CERTIFICATE_BYTES = 64 * 1024;

/** AlgorithmIdentifier (RFC 5280 §4.1.1.2): OID plus the parameters' full TLV, if present. */
export type TAlgorithm = { oid: string; params?: Uint8Array };

/** GeneralName (RFC 5280 §4.2.1.6). */
export type TGeneralName =
  | { type: "otherName"; typeId: string; value: Uint8Array; text?: string }
  | { type: "rfc822Name" | "dNSName" | "uri"; value: string }
  | { type: "directoryName"; name: TName }
  | { type: "iPAddress"; bytes: Uint8Array }
  | { type: "registeredID"; oid: string }
  | { type: "unsupported"; tag: number };

/** One extension (RFC 5280 §4.1.2.9). `value` is the extnValue OCTET STRING's content. */
export type TExtension = { oid: string; critical: boolean; value: Uint8Array };

/** A policy OID and its CPS URIs (RFC 5280 §4.2.1.4). */
export type TPolicy = { oid: string; cpsUris: string[] };

/** Key usage bits (RFC 5280 §4.2.1.3): bit 0 = digitalSignature … bit 8 = decipherOnly. */
export const KeyUsage = {
  digitalSignature: 1 << 0,
  nonRepudiation: 1 << 1,
  keyEncipherment: 1 << 2,
  dataEncipherment: 1 << 3,
  keyAgreement: 1 << 4,
  keyCertSign: 1 << 5,
  cRLSign: 1 << 6,
  encipherOnly: 1 << 7,
  decipherOnly: 1 << 8,
} as const;

/** A parsed X.509 v1–v3 certificate. Views into `der`; nothing is copied. */
export type TCertificate = {
  der: Uint8Array;
  /** The exact TBSCertificate bytes the signature covers. */
  tbs: Uint8Array;
  version: 1 | 2 | 3;
  serial: bigint;
  /** The serial in the one serial form of ichimai: lower-case hex, no leading zeros (serial.ts). */
  serialHex: string;
  signatureAlgorithm: TAlgorithm;
  signature: Uint8Array;
  issuer: TName;
  subject: TName;
  notBefore: Date;
  notAfter: Date;
  /** SubjectPublicKeyInfo DER. */
  spki: Uint8Array;
  /** The subjectPublicKey BIT STRING content (for OCSP key hashes). */
  publicKeyBits: Uint8Array;
  publicKeyAlgorithm: TAlgorithm;
  extensions: TExtension[];
  basicConstraints?: { ca: boolean; pathLen?: number };
  keyUsage?: number;
  extKeyUsage?: string[];
  subjectKeyId?: string;
  authorityKeyId?: string;
  policies?: TPolicy[];
  /** policyConstraints (RFC 5280 §4.2.1.11), skip counts. */
  policyConstraints?: { requireExplicitPolicy?: number; inhibitPolicyMapping?: number };
  /** inhibitAnyPolicy (RFC 5280 §4.2.1.14), skip count. */
  inhibitAnyPolicy?: number;
  subjectAltName?: TGeneralName[];
  issuerAltName?: TGeneralName[];
  nameConstraints?: { permitted: TGeneralName[]; excluded: TGeneralName[] };
  crlDistributionPoints?: TGeneralName[];
  ocspUrls: string[];
  /** Extensions this parser does not process and that are marked critical (RFC 5280 §4.2). */
  unknownCriticalExtensions: string[];
  /** SHA-256 of the DER, lower-case hex. */
  fingerprint: string;
};

/** Extensions whose meaning the validator implements; any other critical one fails validation. */
const UNDERSTOOD = new Set<string>([
  OID.subjectKeyIdentifier,
  OID.keyUsage,
  OID.subjectAltName,
  OID.issuerAltName,
  OID.basicConstraints,
  OID.nameConstraints,
  OID.cRLDistributionPoints,
  OID.certificatePolicies,
  OID.authorityKeyIdentifier,
  OID.extKeyUsage,
  OID.authorityInfoAccess,
  OID.policyConstraints,
  OID.inhibitAnyPolicy,
  OID.ocspNoCheck,
]);

/** Parses AlgorithmIdentifier. */
export function parseAlgorithm(buf: Uint8Array, tlv: Tlv): TAlgorithm {
  const c = new Cursor(buf, tlv);
  const oid = readOid(buf, c.next(Tag.oid));
  if (c.done) return { oid };
  const p = c.next();
  c.end();
  return { oid, params: tlvBytes(buf, p) };
}

/** Parses one GeneralName (RFC 5280 §4.2.1.6). */
export function parseGeneralName(buf: Uint8Array, tlv: Tlv): TGeneralName {
  switch (tlv.tag) {
    case 0xa0: {
      const c = new Cursor(buf, tlv);
      const typeId = readOid(buf, c.next(Tag.oid));
      const explicit = c.next(0xa0);
      c.end();
      const inner = readTlv(buf, explicit.start, explicit.end);
      if (inner.end !== explicit.end) derError("otherName value has trailing bytes");
      let text: string | undefined;
      try {
        text = readString(buf, inner);
      } catch {
        text = undefined;
      }
      return { type: "otherName", typeId, value: tlvBytes(buf, inner), text };
    }
    case 0x81:
      return { type: "rfc822Name", value: readString(buf, { ...tlv, tag: Tag.ia5String }) };
    case 0x82:
      return { type: "dNSName", value: readString(buf, { ...tlv, tag: Tag.ia5String }) };
    case 0x86:
      return { type: "uri", value: readString(buf, { ...tlv, tag: Tag.ia5String }) };
    case 0xa4: {
      const inner = readTlv(buf, tlv.start, tlv.end);
      if (inner.end !== tlv.end) derError("directoryName has trailing bytes");
      return { type: "directoryName", name: parseName(buf, inner) };
    }
    case 0x87:
      return { type: "iPAddress", bytes: contentBytes(buf, tlv) };
    case 0x88: {
      return { type: "registeredID", oid: readOid(buf, { ...tlv, tag: Tag.oid }) };
    }
    default:
      return { type: "unsupported", tag: tlv.tag };
  }
}

function parseGeneralNames(buf: Uint8Array, tlv: Tlv): TGeneralName[] {
  if (tlv.tag !== Tag.sequence) derError("GeneralNames must be a SEQUENCE");
  return children(buf, tlv, 256).map((t) => parseGeneralName(buf, t));
}

/**
 * Parses the value of a known extension into `cert`. The value of any other extension is never
 * decoded (lazily: nothing here needs it), so an extension we do not process, well-formed or not,
 * cannot make the certificate unparseable; if it is critical, it refuses the certificate only
 * when a path goes through it (chain.ts, UNKNOWN_CRITICAL_EXTENSION).
 */
function applyExtension(cert: TCertificate, ext: TExtension): void {
  if (!UNDERSTOOD.has(ext.oid)) return;
  const buf = ext.value;
  const root = readRoot(buf);
  switch (ext.oid) {
    case OID.basicConstraints: {
      if (root.tag !== Tag.sequence) derError("basicConstraints must be a SEQUENCE");
      const c = new Cursor(buf, root);
      const caTlv = c.optional(Tag.boolean);
      const ca = caTlv ? readBoolean(buf, caTlv) : false;
      const lenTlv = c.optional(Tag.integer);
      c.end();
      cert.basicConstraints = { ca, pathLen: lenTlv ? readSmallInt(buf, lenTlv) : undefined };
      return;
    }
    case OID.keyUsage:
      cert.keyUsage = readNamedBits(buf, root);
      return;
    case OID.extKeyUsage:
      if (root.tag !== Tag.sequence) derError("extKeyUsage must be a SEQUENCE");
      cert.extKeyUsage = children(buf, root, 64).map((t) => readOid(buf, t));
      return;
    case OID.subjectKeyIdentifier:
      if (root.tag !== Tag.octetString) derError("subjectKeyIdentifier must be an OCTET STRING");
      cert.subjectKeyId = toHex(buf, root.start, root.end);
      return;
    case OID.authorityKeyIdentifier: {
      if (root.tag !== Tag.sequence) derError("authorityKeyIdentifier must be a SEQUENCE");
      const keyId = new Cursor(buf, root).optional(0x80);
      if (keyId) cert.authorityKeyId = toHex(buf, keyId.start, keyId.end);
      return;
    }
    case OID.certificatePolicies: {
      if (root.tag !== Tag.sequence) derError("certificatePolicies must be a SEQUENCE");
      cert.policies = children(buf, root, 64).map((pi) => {
        const c = new Cursor(buf, pi);
        const oid = readOid(buf, c.next(Tag.oid));
        const cpsUris: string[] = [];
        const quals = c.optional(Tag.sequence);
        c.end();
        if (quals) {
          for (const q of children(buf, quals, 64)) {
            const qc = new Cursor(buf, q);
            const qid = readOid(buf, qc.next(Tag.oid));
            const qv = qc.next();
            if (qid === "1.3.6.1.5.5.7.2.1" && qv.tag === Tag.ia5String) cpsUris.push(readString(buf, qv));
          }
        }
        return { oid, cpsUris };
      });
      return;
    }
    case OID.policyConstraints: {
      if (root.tag !== Tag.sequence) derError("policyConstraints must be a SEQUENCE");
      const c = new Cursor(buf, root);
      const r = c.optional(0x80);
      const m = c.optional(0x81);
      c.end();
      if (!r && !m) derError("empty policyConstraints");
      cert.policyConstraints = {
        requireExplicitPolicy: r ? readSmallInt(buf, r, 0x80) : undefined,
        inhibitPolicyMapping: m ? readSmallInt(buf, m, 0x81) : undefined,
      };
      return;
    }
    case OID.inhibitAnyPolicy:
      cert.inhibitAnyPolicy = readSmallInt(buf, root);
      return;
    case OID.subjectAltName:
      cert.subjectAltName = parseGeneralNames(buf, root);
      return;
    case OID.issuerAltName:
      cert.issuerAltName = parseGeneralNames(buf, root);
      return;
    case OID.nameConstraints: {
      if (root.tag !== Tag.sequence) derError("nameConstraints must be a SEQUENCE");
      const c = new Cursor(buf, root);
      const subtrees = (t: Tlv | undefined) =>
        t
          ? children(buf, t, 256).map((st) => {
              const sc = new Cursor(buf, st);
              return parseGeneralName(buf, sc.next());
            })
          : [];
      const permitted = subtrees(c.optional(0xa0));
      const excluded = subtrees(c.optional(0xa1));
      c.end();
      cert.nameConstraints = { permitted, excluded };
      return;
    }
    case OID.cRLDistributionPoints: {
      if (root.tag !== Tag.sequence) derError("cRLDistributionPoints must be a SEQUENCE");
      const names: TGeneralName[] = [];
      for (const dp of children(buf, root, 64)) {
        const dpName = new Cursor(buf, dp).optional(0xa0);
        if (!dpName) continue;
        const full = new Cursor(buf, dpName).optional(0xa0);
        if (full) for (const g of children(buf, full, 64)) names.push(parseGeneralName(buf, g));
      }
      cert.crlDistributionPoints = names;
      return;
    }
    case OID.authorityInfoAccess: {
      if (root.tag !== Tag.sequence) derError("authorityInfoAccess must be a SEQUENCE");
      for (const ad of children(buf, root, 64)) {
        const c = new Cursor(buf, ad);
        const method = readOid(buf, c.next(Tag.oid));
        const loc = parseGeneralName(buf, c.next());
        if (method === "1.3.6.1.5.5.7.48.1" && loc.type === "uri") cert.ocspUrls.push(loc.value);
      }
      return;
    }
    default:
      return;
  }
}

/**
 * Parses an X.509 certificate (RFC 5280 §4.1) from DER.
 *
 * Rejects: input over {@link MAX_CERTIFICATE_BYTES} (`INPUT_TOO_LARGE`), input that is not a
 * single DER TLV (`DER_MALFORMED`), and any structural error, duplicate extension, mismatch of
 * the inner and outer signature algorithms or malformed known extension (`CERT_MALFORMED`).
 */
export function parseCertificate(der: Uint8Array): TCertificate {
  assertSize(der, MAX_CERTIFICATE_BYTES, "certificate");
  const root = readRoot(der);
  return withCode("CERT_MALFORMED", () => parseCertificateBody(der, root));
}

/** Runs `fn`, turning DER errors into `code` (INPUT_TOO_LARGE passes through). */
export function withCode<T>(code: TErrorCode, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof AppError && err.code === "DER_MALFORMED") {
      throw new AppError(code, { message: err.message, cause: err });
    }
    if (err instanceof AppError) throw err;
    throw new AppError(code, { message: err instanceof Error ? err.message : String(err), cause: err });
  }
}

function parseCertificateBody(der: Uint8Array, root: Tlv): TCertificate {
  if (root.tag !== Tag.sequence) derError("Certificate must be a SEQUENCE");
  const top = new Cursor(der, root);
  const tbsTlv = top.next(Tag.sequence);
  const outerAlgTlv = top.next(Tag.sequence);
  const signature = readBitStringBytes(der, top.next(Tag.bitString));
  top.end();

  const t = new Cursor(der, tbsTlv);
  let version: 1 | 2 | 3 = 1;
  const vTlv = t.optional(0xa0);
  if (vTlv) {
    const inner = readTlv(der, vTlv.start, vTlv.end);
    if (inner.end !== vTlv.end) derError("version has trailing bytes");
    const v = readSmallInt(der, inner);
    if (v > 2) derError(`unknown certificate version ${v + 1}`);
    version = (v + 1) as 1 | 2 | 3;
  }
  const serialTlv = t.next(Tag.integer);
  const innerAlgTlv = t.next(Tag.sequence);
  const issuer = parseName(der, t.next(Tag.sequence));
  const validity = new Cursor(der, t.next(Tag.sequence));
  const notBefore = readTime(der, validity.next());
  const notAfter = readTime(der, validity.next());
  validity.end();
  const subject = parseName(der, t.next(Tag.sequence));
  const spkiTlv = t.next(Tag.sequence);
  const spkiC = new Cursor(der, spkiTlv);
  const publicKeyAlgorithm = parseAlgorithm(der, spkiC.next(Tag.sequence));
  const publicKeyBits = readBitStringBytes(der, spkiC.next(Tag.bitString));
  spkiC.end();
  t.optional(0x81); // issuerUniqueID
  t.optional(0x82); // subjectUniqueID
  const extsTlv = t.optional(0xa3);
  t.end();

  const outerAlg = tlvBytes(der, outerAlgTlv);
  const innerAlg = tlvBytes(der, innerAlgTlv);
  if (Buffer.compare(outerAlg, innerAlg) !== 0) derError("signatureAlgorithm differs from tbsCertificate.signature");

  const cert: TCertificate = {
    der,
    tbs: tlvBytes(der, tbsTlv),
    version,
    serial: readBigInt(der, serialTlv),
    serialHex: serialHex(der, serialTlv),
    signatureAlgorithm: parseAlgorithm(der, outerAlgTlv),
    signature,
    issuer,
    subject,
    notBefore,
    notAfter,
    spki: tlvBytes(der, spkiTlv),
    publicKeyBits,
    publicKeyAlgorithm,
    extensions: [],
    ocspUrls: [],
    unknownCriticalExtensions: [],
    fingerprint: sha256Hex(der),
  };

  if (extsTlv) {
    if (version !== 3) derError("extensions in a certificate that is not v3");
    const seq = readTlv(der, extsTlv.start, extsTlv.end);
    if (seq.tag !== Tag.sequence || seq.end !== extsTlv.end) derError("Extensions must be one SEQUENCE");
    const seen = new Set<string>();
    for (const e of children(der, seq, 64)) {
      const c = new Cursor(der, e);
      const oid = readOid(der, c.next(Tag.oid));
      const critTlv = c.optional(Tag.boolean);
      const critical = critTlv ? readBoolean(der, critTlv) : false;
      const value = contentBytes(der, c.next(Tag.octetString));
      c.end();
      if (seen.has(oid)) derError(`duplicate extension ${oid}`);
      seen.add(oid);
      const ext = { oid, critical, value };
      cert.extensions.push(ext);
      applyExtension(cert, ext);
      if (critical && !UNDERSTOOD.has(oid)) cert.unknownCriticalExtensions.push(oid);
    }
  }
  return cert;
}

const PARSE_CACHE_MAX = 4096;
const parseCache = new Map<string, TCertificate>();

/**
 * {@link parseCertificate}, reusing an earlier parse of identical bytes: trust anchors, CA
 * certificates and a returning card's certificate are parsed on every call otherwise. The
 * cached parse owns a private copy of the DER; treat the result as read-only.
 */
export function parseCertificateCached(der: Uint8Array): TCertificate {
  if (!(der instanceof Uint8Array)) derError("certificate: expected a Uint8Array");
  // Key: the length and the last 32 bytes (inside the signature, so effectively unique); a hit
  // is confirmed by comparing all bytes, which is cheaper than hashing the whole DER.
  const tail = Math.max(0, der.byteLength - 32);
  const key = `${der.byteLength}:${Buffer.from(der.buffer, der.byteOffset + tail, der.byteLength - tail).toString("latin1")}`;
  const hit = parseCache.get(key);
  if (hit && Buffer.compare(hit.der, der) === 0) return hit;
  const cert = parseCertificate(der.slice());
  if (parseCache.size >= PARSE_CACHE_MAX) parseCache.delete(parseCache.keys().next().value as string);
  parseCache.set(key, cert);
  return cert;
}

/** True when the certificate's subject and issuer names match (RFC 5280 §6.1: self-issued). */
export function isSelfIssued(cert: TCertificate): boolean {
  return cert.subject.key === cert.issuer.key;
}

/** True when the certificate is a CA certificate (basicConstraints cA). */
export function isCa(cert: TCertificate): boolean {
  return cert.basicConstraints?.ca === true;
}

/** Returns the extension with `oid`, if present. */
export function findExtension(cert: TCertificate, oid: string): TExtension | undefined {
  return cert.extensions.find((e) => e.oid === oid);
}
