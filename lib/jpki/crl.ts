import { AppError } from "@/lib/errors/app-error";
import {
  KeyUsage,
  parseAlgorithm,
  parseCertificate,
  parseGeneralName,
  type TAlgorithm,
  type TCertificate,
  type TGeneralName,
  withCode,
} from "./certificate";
import {
  assertSize,
  Cursor,
  children,
  contentBytes,
  derError,
  readBigInt,
  readBitStringBytes,
  readBoolean,
  readOid,
  readRoot,
  readSmallInt,
  readTime,
  readTlv,
  type Tlv,
  Tag,
  toHex,
  tlvBytes,
} from "./der";
import { assertCrlConforms } from "./conformance";
import { parseName, type TName } from "./name";
import { canonicalSerial, serialOctetsHex, serialOfOctets } from "./serial";
import { OID } from "./oids";
import { reasonFromCode, type TRevocationReason } from "./revocation-reason";
import { verifyWithAlgorithm } from "./signature";

/**
 * CRLs (RFC 5280 §5) read by a streaming scanner.
 *
 * Real JPKI CRLs are large (every move revokes a signing certificate, docs/jpki.md#large-crls), and
 * asn1js refuses DER with ~100k nodes. So the header is parsed, the signature is checked over
 * the raw TBSCertList bytes, and revokedCertificates is walked in place: for each entry only the
 * serial's octets are hashed and compared with the watched set; an object is built only for a
 * hit. Memory is the DER buffer plus the watched set.
 */

/** Largest CRL accepted: 1,000,000 entries is about 37 MB; leave room for extensions. */
export const MAX_CRL_BYTES = 512 * 1024 * 1024;

/** One revoked certificate found by a scan. */
export type TCrlEntry = {
  serialHex: string;
  revokedAt: Date;
  reason: TRevocationReason;
  invalidityDate?: Date;
  /** A critical entry extension we do not process: the entry is treated as revoked anyway. */
  unknownCriticalExtension?: string;
};

/** The parsed header of a CRL; entries stay in `der` at `revoked`. */
export type TCrl = {
  der: Uint8Array;
  tbs: Uint8Array;
  version: 1 | 2;
  signatureAlgorithm: TAlgorithm;
  signature: Uint8Array;
  issuer: TName;
  thisUpdate: Date;
  nextUpdate?: Date;
  crlNumber?: bigint;
  /** cRLNumber marked critical (a conforming CA never does, RFC 5280 §5.2.3). */
  crlNumberCritical?: boolean;
  authorityKeyId?: string;
  /** The revokedCertificates SEQUENCE, if present. */
  revoked?: Tlv;
  /** issuingDistributionPoint (RFC 5280 §5.2.5), when present. */
  distributionPoint?: {
    fullName: TGeneralName[];
    onlyUserCerts: boolean;
    onlyCaCerts: boolean;
    onlySomeReasons: boolean;
    indirect: boolean;
  };
  isDelta: boolean;
  unknownCriticalExtensions: string[];
};

/**
 * Parses a CRL's header (everything but the entries) from DER. Typed errors: INPUT_TOO_LARGE,
 * DER_MALFORMED (not one DER value), CRL_MALFORMED (anything else).
 */
export function parseCrl(der: Uint8Array, maxBytes = MAX_CRL_BYTES): TCrl {
  assertSize(der, maxBytes, "CRL");
  const root = readRoot(der);
  return withCode("CRL_MALFORMED", () => parseCrlBody(der, root));
}

function parseCrlBody(der: Uint8Array, root: Tlv): TCrl {
  if (root.tag !== Tag.sequence) derError("CertificateList must be a SEQUENCE");
  const top = new Cursor(der, root);
  const tbsTlv = top.next(Tag.sequence);
  const outerAlg = top.next(Tag.sequence);
  const signature = readBitStringBytes(der, top.next(Tag.bitString));
  top.end();
  const t = new Cursor(der, tbsTlv);
  let version: 1 | 2 = 1;
  const vTlv = t.optional(Tag.integer);
  if (vTlv) {
    if (readSmallInt(der, vTlv) !== 1) derError("CRL version must be v2 when present");
    version = 2;
  }
  const innerAlg = t.next(Tag.sequence);
  if (Buffer.compare(tlvBytes(der, innerAlg), tlvBytes(der, outerAlg)) !== 0) {
    derError("signatureAlgorithm differs from tbsCertList.signature");
  }
  const issuer = parseName(der, t.next(Tag.sequence));
  const thisUpdate = readTime(der, t.next());
  let nextUpdate: Date | undefined;
  const nt = t.peekTag();
  if (nt === Tag.utcTime || nt === Tag.generalizedTime) nextUpdate = readTime(der, t.next());
  const revoked = t.optional(Tag.sequence);
  const extsTlv = t.optional(0xa0);
  t.end();
  const crl: TCrl = {
    der,
    tbs: tlvBytes(der, tbsTlv),
    version,
    signatureAlgorithm: parseAlgorithm(der, outerAlg),
    signature,
    issuer,
    thisUpdate,
    nextUpdate,
    revoked,
    isDelta: false,
    unknownCriticalExtensions: [],
  };
  if (extsTlv) {
    if (version !== 2) derError("crlExtensions in a v1 CRL");
    const seq = readTlv(der, extsTlv.start, extsTlv.end);
    if (seq.tag !== Tag.sequence || seq.end !== extsTlv.end) derError("crlExtensions must be one SEQUENCE");
    for (const e of children(der, seq, 64)) {
      const c = new Cursor(der, e);
      const oid = readOid(der, c.next(Tag.oid));
      const ct = c.optional(Tag.boolean);
      const critical = ct ? readBoolean(der, ct) : false;
      const value = contentBytes(der, c.next(Tag.octetString));
      c.end();
      const vr = readRoot(value);
      switch (oid) {
        case OID.cRLNumber:
          crl.crlNumber = readBigInt(value, vr);
          crl.crlNumberCritical = critical;
          break;
        case OID.authorityKeyIdentifier: {
          if (vr.tag !== Tag.sequence) derError("authorityKeyIdentifier must be a SEQUENCE");
          const k = new Cursor(value, vr).optional(0x80);
          if (k) crl.authorityKeyId = toHex(value, k.start, k.end);
          break;
        }
        case OID.deltaCRLIndicator:
          crl.isDelta = true;
          break;
        case OID.issuingDistributionPoint:
          crl.distributionPoint = parseIdp(value, vr);
          break;
        case OID.issuerAltName:
          break;
        default:
          if (critical) crl.unknownCriticalExtensions.push(oid);
      }
    }
  }
  return crl;
}

function parseIdp(buf: Uint8Array, tlv: Tlv): NonNullable<TCrl["distributionPoint"]> {
  if (tlv.tag !== Tag.sequence) derError("issuingDistributionPoint must be a SEQUENCE");
  const out = {
    fullName: [] as TGeneralName[],
    onlyUserCerts: false,
    onlyCaCerts: false,
    onlySomeReasons: false,
    indirect: false,
  };
  const c = new Cursor(buf, tlv);
  const dp = c.optional(0xa0);
  if (dp) {
    const full = new Cursor(buf, dp).optional(0xa0);
    if (full) for (const g of children(buf, full, 64)) out.fullName.push(parseGeneralName(buf, g));
  }
  const flag = (tag: number) => {
    const f = c.optional(tag);
    return f ? readBoolean(buf, { ...f, tag: Tag.boolean }) : false;
  };
  out.onlyUserCerts = flag(0x81);
  out.onlyCaCerts = flag(0x82);
  if (c.optional(0x83)) out.onlySomeReasons = true;
  out.indirect = flag(0x84);
  flag(0x85);
  c.end();
  return out;
}

/** True when `crl` is signed by `issuer`'s key and `issuer` may sign CRLs (RFC 5280 §6.3.3 (f)(g)). */
export function verifyCrlSignature(crl: TCrl, issuer: TCertificate): boolean {
  if (crl.issuer.key !== issuer.subject.key) return false;
  if (crl.authorityKeyId && issuer.subjectKeyId && crl.authorityKeyId !== issuer.subjectKeyId) return false;
  if (issuer.keyUsage !== undefined && (issuer.keyUsage & KeyUsage.cRLSign) === 0) return false;
  return verifyWithAlgorithm(crl.signatureAlgorithm, issuer.spki, crl.tbs, crl.signature);
}

function dpNamesMatch(a: TGeneralName, b: TGeneralName): boolean {
  if (a.type === "directoryName" && b.type === "directoryName") return a.name.key === b.name.key;
  if (a.type === "uri" && b.type === "uri") return a.value === b.value;
  return false;
}

/**
 * True when this complete (non-delta, direct, all-reasons) CRL's scope covers `cert`
 * (RFC 5280 §6.3.3 (b)): a partitioned CRL covers only certificates whose distribution point
 * names it, as with JPKI's per-municipality CRLs (docs/jpki.md#signing-certificate).
 */
export function crlCoversCertificate(crl: TCrl, cert: TCertificate): boolean {
  if (crl.isDelta || crl.unknownCriticalExtensions.length > 0) return false;
  if (crl.issuer.key !== cert.issuer.key) return false;
  const idp = crl.distributionPoint;
  if (!idp) return true;
  if (idp.indirect || idp.onlySomeReasons) return false;
  const isCaCert = cert.basicConstraints?.ca === true;
  if (idp.onlyUserCerts && isCaCert) return false;
  if (idp.onlyCaCerts && !isCaCert) return false;
  if (idp.fullName.length === 0) return true;
  const dps = cert.crlDistributionPoints ?? [];
  return idp.fullName.some((n) => dps.some((d) => dpNamesMatch(n, d)));
}

/** Tolerated issuer clock lead for thisUpdate (the same 5 minutes OCSP allows). */
export const CRL_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Throws unless `crl` was issued by `issuer` and is current at `now`:
 * CRL_SIGNATURE_INVALID (wrong issuer, key or signature), a conforming-CA rule's code
 * (CRL_NUMBER_MISSING, CRL_NUMBER_CRITICAL; conformance.ts), CRL_STALE (now past nextUpdate, or
 * before thisUpdate), CRL_MALFORMED (unknown critical extension).
 * A thisUpdate up to `clockSkewMs` ahead of our clock is accepted (the issuer's clock may run a
 * little ahead, and a CRL built on request carries the second it was built), as for OCSP.
 */
export function assertCrlUsable(crl: TCrl, issuer: TCertificate, now: Date, clockSkewMs = CRL_CLOCK_SKEW_MS): void {
  if (crl.unknownCriticalExtensions.length > 0) {
    throw new AppError("CRL_MALFORMED", {
      message: `unknown critical CRL extension ${crl.unknownCriticalExtensions.join(", ")}`,
    });
  }
  if (!verifyCrlSignature(crl, issuer)) {
    throw new AppError("CRL_SIGNATURE_INVALID", { message: `CRL from ${crl.issuer.text} does not verify` });
  }
  assertCrlConforms(crl);
  if (crl.thisUpdate.getTime() > now.getTime() + clockSkewMs) {
    throw new AppError("CRL_STALE", { message: `CRL thisUpdate ${crl.thisUpdate.toISOString()} is in the future` });
  }
  if (!crl.nextUpdate || crl.nextUpdate.getTime() < now.getTime()) {
    throw new AppError("CRL_STALE", {
      message: `CRL nextUpdate ${crl.nextUpdate?.toISOString() ?? "absent"} has passed`,
    });
  }
}

/** FNV-1a over `buf[s..e)`, skipping one leading 0x00 sign octet. */
function serialHash(buf: Uint8Array, s: number, e: number): number {
  while (s < e - 1 && buf[s] === 0) s++;
  let h = 0x811c9dc5;
  for (let i = s; i < e; i++) {
    h ^= buf[i]!;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** {@link serialHash} of a canonical serial (its octets, a leading zero nibble restored). */
function hexHash(serial: string): number {
  const hex = serialOctetsHex(serial);
  let h = 0x811c9dc5;
  for (let i = 0; i < hex.length; i += 2) {
    h ^= Number.parseInt(hex.slice(i, i + 2), 16);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Reads one length at `p` (after the tag); returns [length, contentStart]. Inline for the hot loop. */
function lengthAt(buf: Uint8Array, p: number, limit: number): [number, number] {
  if (p >= limit) derError("truncated CRL entry");
  let len = buf[p]!;
  p++;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || p + n > limit) derError("bad length in CRL entry");
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p + i]!;
    p += n;
  }
  if (p + len > limit) derError("CRL entry runs past its container");
  return [len, p];
}

function decodeEntry(buf: Uint8Array, entry: Tlv, serial: string): TCrlEntry {
  const c = new Cursor(buf, entry);
  c.next(Tag.integer);
  const revokedAt = readTime(buf, c.next());
  const out: TCrlEntry = { serialHex: serial, revokedAt, reason: "unspecified" };
  const exts = c.optional(Tag.sequence);
  c.end();
  if (exts) {
    for (const e of children(buf, exts, 32)) {
      const ec = new Cursor(buf, e);
      const oid = readOid(buf, ec.next(Tag.oid));
      const ct = ec.optional(Tag.boolean);
      const critical = ct ? readBoolean(buf, ct) : false;
      const v = ec.next(Tag.octetString);
      ec.end();
      const inner = readTlv(buf, v.start, v.end);
      if (oid === OID.reasonCode) out.reason = reasonFromCode(readSmallInt(buf, inner, Tag.enumerated));
      else if (oid === OID.invalidityDate) out.invalidityDate = readTime(buf, inner);
      else if (critical) out.unknownCriticalExtension = oid;
    }
  }
  return out;
}

/**
 * Scans revokedCertificates once and returns the entries whose serial is in `watched`
 * (the one serial form, {@link canonicalSerial}). Also returns the number of entries scanned.
 * Allocation-free per entry: serial octets are hashed in place; hex is built only on a hash hit.
 */
export function findRevoked(
  crl: TCrl,
  watched: ReadonlySet<string>,
): { hits: Map<string, TCrlEntry>; entries: number } {
  return withCode("CRL_MALFORMED", () => {
    const hits = new Map<string, TCrlEntry>();
    const rev = crl.revoked;
    if (!rev) return { hits, entries: 0 };
    const byHash = new Map<number, string[]>();
    for (const w of watched) {
      const h = hexHash(w);
      const list = byHash.get(h);
      if (list) list.push(w);
      else byHash.set(h, [w]);
    }
    const buf = crl.der;
    let p = rev.start;
    const end = rev.end;
    let entries = 0;
    while (p < end) {
      if (buf[p] !== Tag.sequence) derError(`CRL entry at ${p} is not a SEQUENCE`);
      const [elen, estart] = lengthAt(buf, p + 1, end);
      const eend = estart + elen;
      if (buf[estart] !== Tag.integer) derError(`CRL entry at ${p} does not start with an INTEGER`);
      const [slen, sstart] = lengthAt(buf, estart + 1, eend);
      if (slen === 0 || slen > 64) derError(`CRL entry serial length ${slen}`);
      const candidates = byHash.get(serialHash(buf, sstart, sstart + slen));
      if (candidates) {
        const serial = serialOfOctets(buf, sstart, sstart + slen);
        if (candidates.includes(serial)) {
          hits.set(serial, decodeEntry(buf, { tag: Tag.sequence, headerStart: p, start: estart, end: eend }, serial));
        }
      }
      entries++;
      p = eend;
    }
    return { hits, entries };
  });
}

/** Where a CRL comes from: bytes, or a URL fetched with an optional fetch. */
export type TCrlSource =
  | { bytes: Uint8Array }
  | { url: string; fetch?: typeof fetch; headers?: Record<string, string>; timeoutMs?: number };

/** Fetches a CRL over HTTP with a size limit and a timeout; CERT_STATUS_UNAVAILABLE on failure. */
export async function fetchCrlBytes(
  url: string,
  options: { fetch?: typeof fetch; headers?: Record<string, string>; timeoutMs?: number; maxBytes?: number } = {},
): Promise<Uint8Array> {
  const doFetch = options.fetch ?? fetch;
  const maxBytes = options.maxBytes ?? MAX_CRL_BYTES;
  let res: Response;
  try {
    res = await doFetch(url, { headers: options.headers, signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
  } catch (err) {
    throw new AppError("CERT_STATUS_UNAVAILABLE", { message: `CRL fetch from ${url} failed`, cause: err });
  }
  if (!res.ok || !res.body) {
    throw new AppError("CERT_STATUS_UNAVAILABLE", { message: `CRL fetch from ${url}: HTTP ${res.status}` });
  }
  const declared = Number(res.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw new AppError("INPUT_TOO_LARGE", { message: `CRL of ${declared} bytes` });
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for await (const chunk of res.body) {
      total += chunk.length;
      if (total > maxBytes) throw new AppError("INPUT_TOO_LARGE", { message: `CRL larger than ${maxBytes} bytes` });
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError("CERT_STATUS_UNAVAILABLE", { message: `CRL download from ${url} failed`, cause: err });
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

/** Result of {@link checkWatchedSerials}. */
export type TWatchedSerialsResult = {
  crlNumber?: bigint;
  thisUpdate: Date;
  nextUpdate?: Date;
  /** Number of entries on the CRL. */
  entries: number;
  /** Watched serials found on the CRL, by canonical hex. */
  revoked: Map<string, TCrlEntry>;
};

/**
 * Loads a CRL (bytes or URL), checks it was signed by `issuer` and is current at `now`, and
 * reports which of the `watched` serials it lists — one pass, no object per entry. This is the
 * change-verification (変更確認) primitive of docs/jpki.md#change-verification. Throws CRL_SIGNATURE_INVALID,
 * CRL_STALE, CRL_MALFORMED, INPUT_TOO_LARGE, CERT_STATUS_UNAVAILABLE (download failed).
 */
export async function checkWatchedSerials(options: {
  crl: TCrlSource;
  issuer: Uint8Array | TCertificate;
  watched: Iterable<bigint | string>;
  now: Date;
}): Promise<TWatchedSerialsResult> {
  const issuer = options.issuer instanceof Uint8Array ? parseCertificate(options.issuer) : options.issuer;
  const der = "bytes" in options.crl ? options.crl.bytes : await fetchCrlBytes(options.crl.url, options.crl);
  const crl = parseCrl(der);
  assertCrlUsable(crl, issuer, options.now);
  const watched = new Set<string>();
  for (const w of options.watched) watched.add(canonicalSerial(w));
  const { hits, entries } = findRevoked(crl, watched);
  return { crlNumber: crl.crlNumber, thisUpdate: crl.thisUpdate, nextUpdate: crl.nextUpdate, entries, revoked: hits };
}
