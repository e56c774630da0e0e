import { describe, expect, it } from "vitest";
import { fromHex, readRoot, serialHex } from "./der";
import { canonicalSerial, canonicalSerialOrNull, serialOctetsHex, serialOfOctets } from "./serial";

/** serialHex of a DER INTEGER with content octets `hex`. */
const ofDer = (hex: string) => {
  const content = fromHex(hex);
  const der = new Uint8Array([0x02, content.length, ...content]);
  return serialHex(der, readRoot(der, 0x02));
};

describe("canonicalSerial: lower-case hex without leading zeros", () => {
  it.each([
    ["a1b2", "a1b2"],
    ["00a1b2", "a1b2"],
    ["0a1b2", "a1b2"],
    ["000000a1b2", "a1b2"],
    ["A1B2", "a1b2"],
    ["0A1B", "a1b"],
    ["abc", "abc"],
    ["0", "0"],
    ["00", "0"],
    ["0000", "0"],
    ["80", "80"],
    ["0080", "80"],
  ])("%s → %s", (input, output) => {
    expect(canonicalSerial(input)).toBe(output);
    expect(canonicalSerial(output)).toBe(output);
  });

  it("takes non-negative bigints as their value", () => {
    expect(canonicalSerial(0n)).toBe("0");
    expect(canonicalSerial(0xa1b2n)).toBe("a1b2");
    expect(canonicalSerial(0xabcn)).toBe("abc");
    expect(canonicalSerial((1n << 158n) + 5n)).toBe(`4${"0".repeat(38)}5`);
    expect(() => canonicalSerial(-1n)).toThrow(expect.objectContaining({ code: "DER_MALFORMED" }));
  });

  it.each(["", "0x1f", "g1", "12 34", "-1", "a".repeat(129)])("refuses %j", (input) => {
    expect(() => canonicalSerial(input)).toThrow(expect.objectContaining({ code: "VALIDATION_FAILED" }));
    expect(canonicalSerialOrNull(input)).toBeNull();
  });

  it("canonicalSerialOrNull is canonicalSerial for hex, null otherwise", () => {
    expect(canonicalSerialOrNull("00A1")).toBe("a1");
    expect(canonicalSerialOrNull(null)).toBeNull();
    expect(canonicalSerialOrNull(undefined)).toBeNull();
  });
});

describe("serials read from DER are in the same form", () => {
  it.each([
    ["01", "1"],
    ["0a1b2c", "a1b2c"],
    ["00a1b2", "a1b2"],
    ["00", "0"],
    ["7f", "7f"],
    ["0080", "80"],
    ["10", "10"],
  ])("INTEGER %s → %s, the value's canonical form", (content, out) => {
    expect(ofDer(content)).toBe(out);
    expect(ofDer(content)).toBe(canonicalSerial(BigInt(`0x${content}`)));
  });

  it("keeps a negative (two's-complement) serial's octets", () => {
    expect(ofDer("ff01")).toBe("ff01");
    expect(ofDer("80")).toBe("80");
  });

  it("serialOfOctets skips leading zero octets, then a leading zero nibble; serialOctetsHex restores whole octets", () => {
    const buf = fromHex("0000000a1b");
    expect(serialOfOctets(buf, 0, buf.length)).toBe("a1b");
    expect(serialOctetsHex("a1b")).toBe("0a1b");
    expect(serialOctetsHex("a1b2")).toBe("a1b2");
    expect(serialOctetsHex("0")).toBe("00");
  });
});
