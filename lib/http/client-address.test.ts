import { describe, expect, it } from "vitest";
import { parseEnv } from "../env";
import { clientAddress, normalizeAddress } from "./client-address";
import { requestMetadataOf } from "./request-metadata";

const xff = (value?: string) => new Headers(value === undefined ? {} : { "x-forwarded-for": value });

describe("clientAddress", () => {
  // [what, X-Forwarded-For (undefined: no header), TRUSTED_PROXY_HOPS, expected]
  const cases: [string, string | undefined, number, string | undefined][] = [
    // `next start` reached directly: Next writes the TCP peer when the header is absent.
    ["direct, Next's own entry", "127.0.0.1", 1, "127.0.0.1"],
    ["direct, dual-stack socket reports IPv4 as IPv4-mapped IPv6", "::ffff:127.0.0.1", 1, "127.0.0.1"],
    ["direct, IPv6 loopback", "::1", 1, "::1"],
    // One appending proxy: the client's own entries on the left are ignored.
    ["one proxy, no client header", "198.51.100.7", 1, "198.51.100.7"],
    ["one proxy, forged leading entry", "203.0.113.99, 198.51.100.7", 1, "198.51.100.7"],
    ["one proxy, several forged entries", "10.0.0.1,203.0.113.99 ,  198.51.100.7", 1, "198.51.100.7"],
    ["one proxy, forged garbage before", "<script>, 198.51.100.7", 1, "198.51.100.7"],
    // Two appending proxies (CDN, then load balancer): the client is second from the right.
    ["two proxies", "198.51.100.7, 192.0.2.10", 2, "198.51.100.7"],
    ["two proxies, forged leading entry", "203.0.113.99, 198.51.100.7, 192.0.2.10", 2, "198.51.100.7"],
    ["two proxies, fewer entries than hops: the left-most", "198.51.100.7", 2, "198.51.100.7"],
    ["five hops, two entries: the left-most", "198.51.100.7, 192.0.2.10", 5, "198.51.100.7"],
    // Zero hops: no X-Forwarded-For is trusted.
    ["zero hops", "198.51.100.7", 0, undefined],
    ["zero hops, no header", undefined, 0, undefined],
    // IPv6.
    ["IPv6 client", "203.0.113.99, 2001:DB8::1", 1, "2001:db8::1"],
    ["IPv6 client behind two proxies", "2001:db8::1, 2001:db8::ffff", 2, "2001:db8::1"],
    ["IPv4-mapped, upper case", "::FFFF:198.51.100.7", 1, "198.51.100.7"],
    // Garbage: the chosen entry must be an address, its neighbours are never tried instead.
    ["chosen entry not an IP", "198.51.100.7, not-an-ip", 1, undefined],
    ["address with port", "198.51.100.7:4711", 1, undefined],
    ["bracketed IPv6", "[2001:db8::1]", 1, undefined],
    ["leading zeros", "198.051.100.7", 1, undefined],
    ["unknown (RFC 7239 obfuscated)", "unknown", 1, undefined],
    ["over-long entry", `${"1".repeat(100)}`, 1, undefined],
    // Empty.
    ["no header", undefined, 1, undefined],
    ["empty header", "", 1, undefined],
    ["only commas and blanks", " , ,", 1, undefined],
    ["empty entries are not counted", "198.51.100.7, , ", 1, "198.51.100.7"],
  ];

  it.each(cases)("%s: %j with %i hops → %j", (_what, header, hops, expected) => {
    expect(clientAddress(xff(header), { trustedProxyHops: hops })).toBe(expected);
  });

  it("reads any object with get(), such as next-auth's plain header record", () => {
    const record: Record<string, string> = { "x-forwarded-for": "203.0.113.99, 198.51.100.7" };
    expect(clientAddress({ get: (name) => record[name] ?? null }, { trustedProxyHops: 1 })).toBe("198.51.100.7");
  });

  it("caps a valid address at 64 characters", () => {
    const long = `fe80::1%${"x".repeat(80)}`;
    expect(clientAddress(xff(long), { trustedProxyHops: 1 })).toHaveLength(64);
  });

  it("defaults to TRUSTED_PROXY_HOPS=1 (env), which rejects other values", () => {
    expect(parseEnv({}).TRUSTED_PROXY_HOPS).toBe(1);
    expect(parseEnv({ TRUSTED_PROXY_HOPS: "" }).TRUSTED_PROXY_HOPS).toBe(1);
    expect(parseEnv({ TRUSTED_PROXY_HOPS: "0" }).TRUSTED_PROXY_HOPS).toBe(0);
    expect(parseEnv({ TRUSTED_PROXY_HOPS: "2" }).TRUSTED_PROXY_HOPS).toBe(2);
    for (const bad of ["-1", "1.5", "two"])
      expect(() => parseEnv({ TRUSTED_PROXY_HOPS: bad })).toThrow(/TRUSTED_PROXY_HOPS/);
  });
});

describe("normalizeAddress", () => {
  it.each([
    [" 192.0.2.1 ", "192.0.2.1"],
    ["::ffff:192.0.2.1", "192.0.2.1"],
    ["::ffff:c000:201", "::ffff:c000:201"],
    ["2001:DB8::A", "2001:db8::a"],
    ["example.org", undefined],
    ["", undefined],
  ])("%j → %j", (raw, expected) => {
    expect(normalizeAddress(raw)).toBe(expected);
  });
});

describe("requestMetadataOf", () => {
  it("carries the client address and the user agent, and leaves out what is absent", () => {
    const headers = new Headers({ "x-forwarded-for": "203.0.113.99, 198.51.100.7", "user-agent": "UA/1" });
    expect(requestMetadataOf(headers, { trustedProxyHops: 1 })).toEqual({ ip: "198.51.100.7", userAgent: "UA/1" });
    expect(requestMetadataOf(new Headers(), { trustedProxyHops: 1 })).toEqual({});
  });
});
