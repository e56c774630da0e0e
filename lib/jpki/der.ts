import { AppError } from "@/lib/errors/app-error";
import type { TErrorCode } from "@/lib/errors/codes";
import { serialOfOctets } from "./serial";

/**
 * A small, strict DER (ITU-T X.690 §10) reader and writer.
 *
 * Why our own and not asn1js: asn1js builds an object per node and refuses inputs with many
 * nodes (a 100,000-entry CRL fails), and its per-node cost dominates login and CMS verification.
 * This reader works on offsets into one Uint8Array, never copies, and rejects anything that is
 * not definite-length DER with a typed {@link AppError} (`DER_MALFORMED`), never a RangeError.
 */

/** Tag classes (X.690 §8.1.2.2). */
export const TagClass = { universal: 0, application: 1, context: 2, private: 3 } as const;

/** Universal tag numbers used by X.509, CRLs, OCSP and CMS. */
export const Tag = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  enumerated: 0x0a,
  utf8String: 0x0c,
  sequence: 0x30,
  set: 0x31,
  printableString: 0x13,
  teletexString: 0x14,
  ia5String: 0x16,
  utcTime: 0x17,
  generalizedTime: 0x18,
  visibleString: 0x1a,
  universalString: 0x1c,
  bmpString: 0x1e,
} as const;

/** One TLV: `tag` is the identifier octet (low-tag-number form only), `start..end` the content. */
export type Tlv = {
  /** The identifier octet, e.g. 0x30 for SEQUENCE, 0xa0 for [0] constructed. */
  tag: number;
  /** Offset of the identifier octet. */
  headerStart: number;
  /** Offset of the first content octet. */
  start: number;
  /** Offset just past the last content octet. */
  end: number;
};

/** Default ceiling on any single DER input (certificates, OCSP, CMS). CRLs pass their own. */
export const DEFAULT_MAX_INPUT = 16 * 1024 * 1024;

/** Throws the typed DER error; `code` lets callers name the structure (CERT_MALFORMED, …). */
export function derError(message: string, code: TErrorCode = "DER_MALFORMED"): never {
  throw new AppError(code, { message });
}

/** Refuses inputs larger than `max` bytes with INPUT_TOO_LARGE before any parsing starts. */
export function assertSize(input: Uint8Array, max: number, what: string): void {
  if (!(input instanceof Uint8Array)) derError(`${what}: expected a Uint8Array`);
  if (input.length > max) {
    throw new AppError("INPUT_TOO_LARGE", { message: `${what}: ${input.length} bytes exceeds the limit of ${max}` });
  }
}

/**
 * Reads the TLV at `offset`, which must end at or before `limit`.
 * Rejects high-tag-number form, indefinite lengths, non-minimal lengths and lengths past `limit`.
 */
export function readTlv(buf: Uint8Array, offset: number, limit: number = buf.length): Tlv {
  if (offset + 2 > limit) derError(`truncated TLV at ${offset}`);
  const tag = buf[offset]!;
  if ((tag & 0x1f) === 0x1f) derError(`high-tag-number form at ${offset}`);
  let pos = offset + 1;
  let len = buf[pos++]!;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0) derError(`indefinite length at ${offset} (BER, not DER)`);
    if (n > 4) derError(`absurd length of ${n} octets at ${offset}`);
    if (pos + n > limit) derError(`truncated length at ${offset}`);
    if (buf[pos] === 0) derError(`non-minimal length at ${offset}`);
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[pos++]!;
    if (len < 0x80) derError(`non-minimal length at ${offset}`);
  }
  const end = pos + len;
  if (end > limit) derError(`length ${len} at ${offset} runs past its container`);
  return { tag, headerStart: offset, start: pos, end };
}

/** Reads the single top-level TLV of `buf`, which must span it exactly. */
export function readRoot(buf: Uint8Array, expectedTag?: number): Tlv {
  const tlv = readTlv(buf, 0, buf.length);
  if (tlv.end !== buf.length) derError("trailing bytes after the DER value");
  if (expectedTag !== undefined && tlv.tag !== expectedTag) derError(`expected tag 0x${hex2(expectedTag)}`);
  return tlv;
}

/**
 * Iterates over the children of a constructed TLV. `Cursor` keeps the position so callers can
 * read fields in order and peek at optional ones, the way ASN.1 structures are defined.
 */
export class Cursor {
  pos: number;
  constructor(
    readonly buf: Uint8Array,
    readonly parent: Tlv,
  ) {
    this.pos = parent.start;
  }

  get done(): boolean {
    return this.pos >= this.parent.end;
  }

  /** The tag of the next child, or -1 at the end. */
  peekTag(): number {
    return this.pos < this.parent.end ? this.buf[this.pos]! : -1;
  }

  /** Reads the next child; with `tag`, insists on it. */
  next(tag?: number): Tlv {
    if (this.done) derError(`missing element at ${this.pos}`);
    const tlv = readTlv(this.buf, this.pos, this.parent.end);
    if (tag !== undefined && tlv.tag !== tag) {
      derError(`expected tag 0x${hex2(tag)} at ${this.pos}, found 0x${hex2(tlv.tag)}`);
    }
    this.pos = tlv.end;
    return tlv;
  }

  /** Reads the next child only if it has `tag`. */
  optional(tag: number): Tlv | undefined {
    return this.peekTag() === tag ? this.next(tag) : undefined;
  }

  /** Asserts that every child was consumed (catches extra fields). */
  end(): void {
    if (!this.done) derError(`unexpected element at ${this.pos}`);
  }
}

/** Children of a constructed TLV as a list (for small SEQUENCE OF / SET OF). */
export function children(buf: Uint8Array, tlv: Tlv, max = 10_000): Tlv[] {
  if ((tlv.tag & 0x20) === 0) derError(`tag 0x${hex2(tlv.tag)} is not constructed`);
  const out: Tlv[] = [];
  const c = new Cursor(buf, tlv);
  while (!c.done) {
    if (out.length >= max) derError(`more than ${max} elements`, "INPUT_TOO_LARGE");
    out.push(c.next());
  }
  return out;
}

/** The whole TLV (header and content) as a view, without copying. */
export function tlvBytes(buf: Uint8Array, tlv: Tlv): Uint8Array {
  return buf.subarray(tlv.headerStart, tlv.end);
}

/** The content octets as a view, without copying. */
export function contentBytes(buf: Uint8Array, tlv: Tlv): Uint8Array {
  return buf.subarray(tlv.start, tlv.end);
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

function hex2(n: number): string {
  return HEX[n & 0xff]!;
}

/** Lower-case hex of `bytes[start..end)`. */
export function toHex(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let s = "";
  for (let i = start; i < end; i++) s += HEX[bytes[i]!]!;
  return s;
}

/** Bytes from hex (even length, 0-9a-f). */
export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || /[^0-9a-fA-F]/.test(hex)) derError("invalid hex string");
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Decodes an OBJECT IDENTIFIER's content to dotted form (X.690 §8.19). */
export function readOid(buf: Uint8Array, tlv: Tlv): string {
  if (tlv.tag !== Tag.oid) derError("expected an OBJECT IDENTIFIER");
  if (tlv.end === tlv.start) derError("empty OBJECT IDENTIFIER");
  if (tlv.end - tlv.start > 64) derError("OBJECT IDENTIFIER too long");
  let h = 0x811c9dc5;
  for (let i = tlv.start; i < tlv.end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  const cached = oidCache.get(h >>> 0);
  if (cached && cached.bytes.length === tlv.end - tlv.start) {
    let same = true;
    for (let i = 0; i < cached.bytes.length; i++) {
      if (cached.bytes[i] !== buf[tlv.start + i]) {
        same = false;
        break;
      }
    }
    if (same) return cached.oid;
  }
  const oid = decodeOid(buf, tlv);
  if (oidCache.size < 4096) oidCache.set(h >>> 0, { bytes: buf.slice(tlv.start, tlv.end), oid });
  return oid;
}

/** Decoded OIDs by a hash of their content octets: the same few dozen recur everywhere. */
const oidCache = new Map<number, { bytes: Uint8Array; oid: string }>();

function decodeOid(buf: Uint8Array, tlv: Tlv): string {
  const parts: number[] = [];
  let value = 0;
  let fresh = true;
  for (let i = tlv.start; i < tlv.end; i++) {
    const b = buf[i]!;
    if (fresh && b === 0x80) derError("non-minimal OID arc");
    value = value * 128 + (b & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128) derError("OID arc too large");
    fresh = false;
    if ((b & 0x80) === 0) {
      if (parts.length === 0) {
        const first = value < 40 ? 0 : value < 80 ? 1 : 2;
        parts.push(first, value - first * 40);
      } else {
        parts.push(value);
      }
      value = 0;
      fresh = true;
    }
  }
  if (!fresh) derError("truncated OID arc");
  return parts.join(".");
}

/** INTEGER content as a bigint (two's complement, X.690 §8.3). */
export function readBigInt(buf: Uint8Array, tlv: Tlv): bigint {
  if (tlv.tag !== Tag.integer) derError("expected an INTEGER");
  const len = tlv.end - tlv.start;
  if (len === 0) derError("empty INTEGER");
  if (len > 1024) derError("INTEGER too long");
  let v = BigInt(`0x${toHex(buf, tlv.start, tlv.end)}`);
  if (buf[tlv.start]! & 0x80) v -= 1n << BigInt(len * 8);
  return v;
}

/** A small non-negative INTEGER (versions, path lengths, reason codes) as a number. */
export function readSmallInt(buf: Uint8Array, tlv: Tlv, tag: number = Tag.integer): number {
  if (tlv.tag !== tag) derError(`expected tag 0x${hex2(tag)}`);
  const len = tlv.end - tlv.start;
  if (len === 0 || len > 4) derError("small INTEGER out of range");
  if (buf[tlv.start]! & 0x80) derError("negative INTEGER where a count was expected");
  let v = 0;
  for (let i = tlv.start; i < tlv.end; i++) v = v * 256 + buf[i]!;
  return v;
}

/** A serial number INTEGER in the one serial form of ichimai ({@link canonicalSerial}, serial.ts). */
export function serialHex(buf: Uint8Array, tlv: Tlv): string {
  if (tlv.tag !== Tag.integer) derError("expected an INTEGER serial number");
  if (tlv.end === tlv.start) derError("empty INTEGER");
  if (tlv.end - tlv.start > 64) derError("serial number too long");
  return serialOfOctets(buf, tlv.start, tlv.end);
}

/** BOOLEAN (DER: 0x00 or 0xff only). */
export function readBoolean(buf: Uint8Array, tlv: Tlv): boolean {
  if (tlv.tag !== Tag.boolean || tlv.end - tlv.start !== 1) derError("expected a BOOLEAN");
  const b = buf[tlv.start];
  if (b === 0xff) return true;
  if (b === 0x00) return false;
  return derError("BOOLEAN not 0x00/0xff");
}

/** BIT STRING with no unused bits (keys, signatures) as a view. */
export function readBitStringBytes(buf: Uint8Array, tlv: Tlv): Uint8Array {
  if (tlv.tag !== Tag.bitString || tlv.end === tlv.start) derError("expected a BIT STRING");
  if (buf[tlv.start] !== 0) derError("BIT STRING with unused bits where octets were expected");
  return buf.subarray(tlv.start + 1, tlv.end);
}

/** Named-bit BIT STRING (KeyUsage) as a bit mask where bit 0 is the first named bit. */
export function readNamedBits(buf: Uint8Array, tlv: Tlv): number {
  if (tlv.tag !== Tag.bitString || tlv.end === tlv.start) derError("expected a BIT STRING");
  const unused = buf[tlv.start]!;
  if (unused > 7) derError("BIT STRING unused-bit count above 7");
  let mask = 0;
  const bytes = tlv.end - tlv.start - 1;
  if (bytes === 0 && unused !== 0) derError("empty BIT STRING with unused bits");
  for (let i = 0; i < Math.min(bytes, 4); i++) {
    const b = buf[tlv.start + 1 + i]!;
    for (let bit = 0; bit < 8; bit++) if (b & (0x80 >> bit)) mask |= 1 << (i * 8 + bit);
  }
  return mask;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });
const latin1 = new TextDecoder("latin1");

/** Any of the X.520 string types as a JS string. */
export function readString(buf: Uint8Array, tlv: Tlv): string {
  const bytes = buf.subarray(tlv.start, tlv.end);
  switch (tlv.tag) {
    case Tag.utf8String:
      try {
        return utf8.decode(bytes);
      } catch {
        return derError("invalid UTF-8 in UTF8String");
      }
    case Tag.printableString:
    case Tag.ia5String:
    case Tag.visibleString:
    case Tag.teletexString:
    case 0x12: // NumericString
      return latin1.decode(bytes);
    case Tag.bmpString: {
      if (bytes.length % 2) derError("odd-length BMPString");
      let s = "";
      for (let i = 0; i < bytes.length; i += 2) s += String.fromCharCode((bytes[i]! << 8) | bytes[i + 1]!);
      return s;
    }
    case Tag.universalString: {
      if (bytes.length % 4) derError("UniversalString length not a multiple of 4");
      let s = "";
      for (let i = 0; i < bytes.length; i += 4) {
        const cp = ((bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!) >>> 0;
        if (cp > 0x10ffff) derError("invalid code point in UniversalString");
        s += String.fromCodePoint(cp);
      }
      return s;
    }
    default:
      return derError(`tag 0x${hex2(tlv.tag)} is not a string type`);
  }
}

function digits(buf: Uint8Array, at: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = buf[at + i]! - 0x30;
    if (c < 0 || c > 9) derError("non-digit in time value");
    v = v * 10 + c;
  }
  return v;
}

/**
 * UTCTime or GeneralizedTime as a Date (RFC 5280 §4.1.2.5: UTCTime YYMMDDHHMMSSZ with years
 * 50–99 → 19xx; GeneralizedTime YYYYMMDDHHMMSS[.f]Z). Only the Zulu forms DER permits.
 */
export function readTime(buf: Uint8Array, tlv: Tlv): Date {
  const len = tlv.end - tlv.start;
  const s = tlv.start;
  let year: number;
  let p: number;
  if (tlv.tag === Tag.utcTime) {
    if (len !== 13 || buf[s + 12] !== 0x5a) derError("UTCTime must be YYMMDDHHMMSSZ");
    const yy = digits(buf, s, 2);
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
    p = s + 2;
  } else if (tlv.tag === Tag.generalizedTime) {
    if (len < 15 || len > 24 || buf[tlv.end - 1] !== 0x5a) derError("GeneralizedTime must be YYYYMMDDHHMMSS[.f]Z");
    year = digits(buf, s, 4);
    p = s + 4;
  } else {
    return derError("expected UTCTime or GeneralizedTime");
  }
  const month = digits(buf, p, 2);
  const day = digits(buf, p + 2, 2);
  const hour = digits(buf, p + 4, 2);
  const minute = digits(buf, p + 6, 2);
  const second = digits(buf, p + 8, 2);
  let ms = 0;
  const afterSeconds = p + 10;
  if (afterSeconds < tlv.end - 1) {
    if (tlv.tag !== Tag.generalizedTime || buf[afterSeconds] !== 0x2e) derError("malformed fractional seconds");
    const fracLen = tlv.end - 1 - afterSeconds - 1;
    if (fracLen < 1) derError("empty fractional seconds");
    ms = Math.floor(digits(buf, afterSeconds + 1, Math.min(fracLen, 3)) * 10 ** (3 - Math.min(fracLen, 3)));
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    derError("time value out of range");
  }
  return new Date(Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), ms));
}

// ---------------------------------------------------------------------------------------------
// Writer: enough DER to build OCSP requests, signed attributes and test structures.

/** Encodes a definite length (X.690 §8.1.3). */
function encodeLength(len: number): Uint8Array {
  if (len < 0x80) return Uint8Array.of(len);
  const bytes: number[] = [];
  for (let v = len; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Uint8Array.from([0x80 | bytes.length, ...bytes]);
}

/** Concatenates byte arrays. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A TLV from a tag and its content (or the concatenation of child encodings). */
export function encode(tag: number, ...content: Uint8Array[]): Uint8Array {
  const body = content.length === 1 ? content[0]! : concat(content);
  return concat([Uint8Array.of(tag), encodeLength(body.length), body]);
}

/** SEQUENCE of already-encoded children. */
export const encodeSequence = (...items: Uint8Array[]): Uint8Array => encode(Tag.sequence, ...items);

/** SET OF: DER sorts the encodings (X.690 §11.6). */
export function encodeSetOf(items: Uint8Array[]): Uint8Array {
  const sorted = [...items].sort(compareBytes);
  return encode(Tag.set, ...sorted);
}

/** Lexicographic byte order, shorter first on a common prefix. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** True when both byte arrays are identical. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** OBJECT IDENTIFIER from dotted form. */
export function encodeOid(oid: string): Uint8Array {
  const arcs = oid.split(".").map((x) => {
    if (!/^\d+$/.test(x)) derError(`invalid OID ${oid}`);
    return Number(x);
  });
  if (arcs.length < 2) derError(`invalid OID ${oid}`);
  const out: number[] = [];
  const push = (v: number) => {
    const tmp = [v & 0x7f];
    for (let x = Math.floor(v / 128); x > 0; x = Math.floor(x / 128)) tmp.unshift((x & 0x7f) | 0x80);
    out.push(...tmp);
  };
  push(arcs[0]! * 40 + arcs[1]!);
  for (const a of arcs.slice(2)) push(a);
  return encode(Tag.oid, Uint8Array.from(out));
}

/** INTEGER from a bigint (minimal two's complement). */
export function encodeInteger(n: bigint): Uint8Array {
  if (n === 0n) return encode(Tag.integer, Uint8Array.of(0));
  if (n < 0n) {
    let len = 1;
    while (-(1n << BigInt(len * 8 - 1)) > n) len++;
    const v = (1n << BigInt(len * 8)) + n;
    return encode(Tag.integer, fromHex(v.toString(16).padStart(len * 2, "0")));
  }
  let h = n.toString(16);
  if (h.length % 2) h = `0${h}`;
  if (Number.parseInt(h.slice(0, 2), 16) & 0x80) h = `00${h}`;
  return encode(Tag.integer, fromHex(h));
}

/** OCTET STRING. */
export const encodeOctetString = (b: Uint8Array): Uint8Array => encode(Tag.octetString, b);

/** NULL. */
export const encodeNull = (): Uint8Array => Uint8Array.of(0x05, 0x00);

/** UTCTime for 1950–2049, GeneralizedTime otherwise (RFC 5280 §4.1.2.5). */
export function encodeTime(d: Date): Uint8Array {
  const y = d.getUTCFullYear();
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  const rest = `${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  if (y >= 1950 && y < 2050) return encode(Tag.utcTime, new TextEncoder().encode(`${p(y % 100)}${rest}`));
  return encode(Tag.generalizedTime, new TextEncoder().encode(`${p(y, 4)}${rest}`));
}

/** GeneralizedTime (always; OCSP and some CMS fields require it). */
export function encodeGeneralizedTime(d: Date): Uint8Array {
  const iso = d.toISOString();
  const s = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return encode(Tag.generalizedTime, new TextEncoder().encode(s));
}
