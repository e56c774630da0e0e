/**
 * A minimal DER encoder (ITU-T X.690 §10) for structures too large for object-tree encoders:
 * a JPKI CRL with a million entries is ~40 MB of DER, which @peculiar/x509's CRL generator
 * (quadratic duplicate check) and asn1js (one object per node) cannot build in reasonable time
 * or memory. Values are written straight into one growing byte buffer.
 */

/** Bytes backed by a plain ArrayBuffer (what WebCrypto and @peculiar/x509 accept). */
export type Bytes = Uint8Array<ArrayBuffer>;

/** A growable byte buffer. */
export class DerBuffer {
  private buf: Bytes;
  length = 0;

  constructor(initialCapacity = 1024) {
    this.buf = new Uint8Array(initialCapacity);
  }

  private ensure(extra: number): void {
    const need = this.length + extra;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.length++] = b;
  }

  bytes(data: Uint8Array): void {
    this.ensure(data.length);
    this.buf.set(data, this.length);
    this.length += data.length;
  }

  /** Write an ASCII string byte by byte (times, digits). */
  ascii(text: string): void {
    this.ensure(text.length);
    for (let i = 0; i < text.length; i++) this.buf[this.length++] = text.charCodeAt(i);
  }

  /** The written bytes (a view, not a copy). */
  view(): Bytes {
    return this.buf.subarray(0, this.length);
  }
}

/** DER length octets (X.690 §8.1.3, definite form). */
export function derLength(n: number): Bytes {
  if (n < 0x80) return Uint8Array.of(n);
  const out: number[] = [];
  let v = n;
  while (v > 0) {
    out.unshift(v & 0xff);
    v = Math.floor(v / 256);
  }
  return Uint8Array.of(0x80 | out.length, ...out);
}

/** Concatenate byte arrays. */
export function concatBytes(parts: readonly Uint8Array[]): Bytes {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** tag ‖ length ‖ content. */
export function tlv(tag: number, ...content: Uint8Array[]): Bytes {
  const body = concatBytes(content);
  return concatBytes([Uint8Array.of(tag), derLength(body.length), body]);
}

export const seq = (...content: Uint8Array[]): Bytes => tlv(0x30, ...content);

/** Big-endian two's-complement content octets of a non-negative INTEGER (X.690 §8.3). */
export function integerContent(value: bigint): Bytes {
  if (value < 0n) throw new RangeError("negative INTEGER not supported");
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  // A leading 1 bit would make the number negative: prefix a zero octet.
  if (Number.parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`;
  return Uint8Array.from(Buffer.from(hex, "hex"));
}

export const integer = (value: bigint) => tlv(0x02, integerContent(value));

/** OBJECT IDENTIFIER (X.690 §8.19). */
export function oid(dotted: string): Bytes {
  const arcs = dotted.split(".").map((a) => BigInt(a));
  const [first, second, ...rest] = arcs;
  if (first === undefined || second === undefined) throw new RangeError(`bad OID ${dotted}`);
  const out: number[] = [];
  for (const arc of [first * 40n + second, ...rest]) {
    const chunk: number[] = [Number(arc & 0x7fn)];
    let v = arc >> 7n;
    while (v > 0n) {
      chunk.unshift(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    out.push(...chunk);
  }
  return tlv(0x06, Uint8Array.from(out));
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * RFC 5280 §4.1.2.5 Time: UTCTime through 2049, GeneralizedTime from 2050, always in Zulu with
 * seconds and no fraction.
 */
export function timeString(d: Date): { tag: number; text: string } {
  const y = d.getUTCFullYear();
  const rest = `${pad2(d.getUTCMonth() + 1)}${pad2(d.getUTCDate())}${pad2(d.getUTCHours())}${pad2(d.getUTCMinutes())}${pad2(d.getUTCSeconds())}Z`;
  if (y >= 1950 && y < 2050) return { tag: 0x17, text: `${pad2(y % 100)}${rest}` };
  return { tag: 0x18, text: `${String(y).padStart(4, "0")}${rest}` };
}

export function time(d: Date): Bytes {
  const { tag, text } = timeString(d);
  return tlv(tag, new TextEncoder().encode(text));
}

/** Context-specific tag byte: class 10, constructed bit, number < 31. */
export const ctx = (n: number, constructed: boolean) => 0x80 | (constructed ? 0x20 : 0) | n;

export const BOOLEAN_TRUE = Uint8Array.of(0x01, 0x01, 0xff);
export const NULL: Bytes = Uint8Array.of(0x05, 0x00);
export const octetString = (content: Uint8Array) => tlv(0x04, content);
export const bitString = (content: Uint8Array) => tlv(0x03, Uint8Array.of(0), content);
