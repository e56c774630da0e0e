import { Cursor, derError, readOid, readString, type Tlv, Tag, toHex, tlvBytes } from "./der";

/** One AttributeTypeAndValue of a distinguished name (RFC 5280 §4.1.2.4). */
export type TAttribute = { type: string; value: string; tag: number };

/** A parsed distinguished name: its DER, RDNs, RFC 4514-style text and a comparison key. */
export type TName = {
  der: Uint8Array;
  rdns: TAttribute[][];
  /** Human-readable form, most significant RDN first (e.g. `C=JP, O=JPKI, OU=…`). */
  text: string;
  /** Normalised key for name chaining (RFC 5280 §7.1, simplified RFC 4518 string prep). */
  key: string;
};

const SHORT: Readonly<Record<string, string>> = {
  "2.5.4.3": "CN",
  "2.5.4.6": "C",
  "2.5.4.7": "L",
  "2.5.4.8": "ST",
  "2.5.4.10": "O",
  "2.5.4.11": "OU",
  "2.5.4.5": "serialNumber",
  "2.5.4.9": "street",
  "2.5.4.4": "SN",
  "2.5.4.42": "GN",
  "0.9.2342.19200300.100.1.25": "DC",
  "1.2.840.113549.1.9.1": "emailAddress",
};

const STRING_TAGS = new Set<number>([
  Tag.utf8String,
  Tag.printableString,
  Tag.ia5String,
  Tag.teletexString,
  Tag.bmpString,
  Tag.universalString,
  Tag.visibleString,
  0x12,
]);

/**
 * Parses a Name (SEQUENCE OF RelativeDistinguishedName). Values of non-string types are kept
 * as `#hex` so that they still take part in comparison.
 */
export function parseName(buf: Uint8Array, tlv: Tlv): TName {
  if (tlv.tag !== Tag.sequence) derError("Name must be a SEQUENCE");
  // Names recur (every certificate of a CA carries its issuer DN): reuse earlier parses.
  const cacheKey = tlv.end - tlv.headerStart <= 1024 ? latin1Key(buf, tlv.headerStart, tlv.end) : undefined;
  if (cacheKey !== undefined) {
    const hit = nameCache.get(cacheKey);
    if (hit) return hit;
  }
  const name = parseNameUncached(buf, tlv);
  if (cacheKey !== undefined) {
    if (nameCache.size >= 4096) nameCache.delete(nameCache.keys().next().value as string);
    nameCache.set(cacheKey, { ...name, der: name.der.slice() });
  }
  return name;
}

const nameCache = new Map<string, TName>();

function latin1Key(buf: Uint8Array, start: number, end: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString("latin1");
}

function parseNameUncached(buf: Uint8Array, tlv: Tlv): TName {
  const rdns: TAttribute[][] = [];
  const outer = new Cursor(buf, tlv);
  let count = 0;
  while (!outer.done) {
    const set = outer.next(Tag.set);
    const rdn: TAttribute[] = [];
    const inner = new Cursor(buf, set);
    while (!inner.done) {
      if (++count > 64) derError("Name has too many attributes");
      const atv = inner.next(Tag.sequence);
      const c = new Cursor(buf, atv);
      const type = readOid(buf, c.next(Tag.oid));
      const v = c.next();
      c.end();
      const value = STRING_TAGS.has(v.tag) ? readString(buf, v) : `#${toHex(buf, v.headerStart, v.end)}`;
      rdn.push({ type, value, tag: v.tag });
    }
    if (rdn.length === 0) derError("empty RelativeDistinguishedName");
    rdns.push(rdn);
  }
  const text = rdns.map((rdn) => rdn.map((a) => `${SHORT[a.type] ?? a.type}=${a.value}`).join("+")).join(", ");
  const key = rdns
    .map((rdn) =>
      rdn
        .map((a) => `${a.type}=${a.value.startsWith("#") ? a.value : prep(a.value)}`)
        .sort()
        .join("+"),
    )
    .join("\u0000");
  return { der: tlvBytes(buf, tlv), rdns, text, key };
}

/** RFC 4518-lite: NFKC, case fold, trim and collapse inner spaces. */
function prep(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII fast path skips NFKC
  const ascii = /^[\x00-\x7f]*$/.test(s);
  return (ascii ? s : s.normalize("NFKC")).toLowerCase().trim().replace(/\s+/g, " ");
}

/** RFC 5280 §7.1 name equality (byte-equal DER is the fast path). */
export function namesEqual(a: TName, b: TName): boolean {
  return a.key === b.key;
}

/** The value of the first attribute of `type` (e.g. "2.5.4.3" for CN), if any. */
export function nameAttribute(name: TName, type: string): string | undefined {
  for (const rdn of name.rdns) for (const a of rdn) if (a.type === type) return a.value;
  return undefined;
}

/** All values of `type`, in order (JPKI sign subjects carry two L attributes). */
export function nameAttributes(name: TName, type: string): string[] {
  const out: string[] = [];
  for (const rdn of name.rdns) for (const a of rdn) if (a.type === type) out.push(a.value);
  return out;
}
