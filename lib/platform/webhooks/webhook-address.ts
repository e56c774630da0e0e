/**
 * Where a webhook may connect to (SSRF). A receiver must be a public address: a partner's URL must
 * never make the platform talk to its own host, its private network or cloud metadata services.
 * The check runs on every address a host name resolves to, at registration (webhook-url.ts, so a
 * partner learns at once) and again at send time, where the connection is then made only to those
 * checked addresses (see send-webhook.ts), so DNS changes or rebinding after registration, or
 * between the check and the connect, cannot slip a private address in.
 */
import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import { createLog, errorFields } from "../../log/logger";

export type TWebhookAddress = { address: string; family: 4 | 6 };

/** Resolves a host name to all its addresses (injectable so tests need no real DNS). */
export type TWebhookResolver = (hostname: string) => Promise<TWebhookAddress[]>;

/** The operating system's resolver (`dns.lookup`, all addresses, in the order the system gives). */
export const systemWebhookResolver: TWebhookResolver = async (hostname) => {
  const found = await lookup(hostname, { all: true, verbatim: true });
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

/**
 * Every range of the IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890 and its
 * updates), whether or not the registry marks it globally reachable, plus multicast and the
 * deprecated site-local and IPv4-compatible ranges: a webhook goes to ordinary public unicast
 * only. Documentation ranges are in (one of them may be the very host this runs on), and so are
 * the translation prefixes (NAT64, 6to4, Teredo), which can carry a private IPv4 address.
 */
export const SPECIAL_PURPOSE_RANGES: readonly (readonly [string, number, "ipv4" | "ipv6", string])[] = [
  ["0.0.0.0", 8, "ipv4", '"this network", incl. the unspecified 0.0.0.0 (RFC 791)'],
  ["10.0.0.0", 8, "ipv4", "private (RFC 1918)"],
  ["100.64.0.0", 10, "ipv4", "shared address space, carrier-grade NAT (RFC 6598)"],
  ["127.0.0.0", 8, "ipv4", "loopback (RFC 1122)"],
  ["169.254.0.0", 16, "ipv4", "link-local, incl. cloud metadata 169.254.169.254 (RFC 3927)"],
  ["172.16.0.0", 12, "ipv4", "private (RFC 1918)"],
  ["192.0.0.0", 24, "ipv4", "IETF protocol assignments (RFC 6890), incl. DS-Lite, PCP and NAT64 discovery"],
  ["192.0.2.0", 24, "ipv4", "documentation TEST-NET-1 (RFC 5737)"],
  ["192.31.196.0", 24, "ipv4", "AS112-v4 (RFC 7535)"],
  ["192.52.193.0", 24, "ipv4", "AMT (RFC 7450)"],
  ["192.88.99.0", 24, "ipv4", "deprecated 6to4 relay anycast (RFC 7526)"],
  ["192.168.0.0", 16, "ipv4", "private (RFC 1918)"],
  ["192.175.48.0", 24, "ipv4", "direct delegation AS112 service (RFC 7534)"],
  ["198.18.0.0", 15, "ipv4", "benchmarking (RFC 2544)"],
  ["198.51.100.0", 24, "ipv4", "documentation TEST-NET-2 (RFC 5737)"],
  ["203.0.113.0", 24, "ipv4", "documentation TEST-NET-3 (RFC 5737)"],
  ["224.0.0.0", 4, "ipv4", "multicast (RFC 5771)"],
  ["240.0.0.0", 4, "ipv4", "reserved, incl. limited broadcast 255.255.255.255 (RFC 1112, RFC 919)"],
  ["::", 128, "ipv6", "unspecified (RFC 4291)"],
  ["::1", 128, "ipv6", "loopback (RFC 4291)"],
  ["::", 96, "ipv6", "IPv4-compatible, deprecated (RFC 4291)"],
  ["::ffff:0:0", 96, "ipv6", "IPv4-mapped (RFC 4291)"],
  ["::ffff:0:0:0", 96, "ipv6", "IPv4-translated (RFC 2765)"],
  ["64:ff9b::", 96, "ipv6", "IPv4-IPv6 translation, well-known NAT64 prefix (RFC 6052)"],
  ["64:ff9b:1::", 48, "ipv6", "IPv4-IPv6 translation, local-use NAT64 (RFC 8215)"],
  ["100::", 64, "ipv6", "discard-only (RFC 6666)"],
  ["100:0:0:1::", 64, "ipv6", "dummy IPv6 prefix (RFC 9780)"],
  [
    "2001::",
    23,
    "ipv6",
    "IETF protocol assignments (RFC 2928), incl. Teredo 2001::/32, benchmarking, AMT, AS112, ORCHIDv2",
  ],
  ["2001:db8::", 32, "ipv6", "documentation (RFC 3849)"],
  ["2002::", 16, "ipv6", "6to4 (RFC 3056)"],
  ["2620:4f:8000::", 48, "ipv6", "direct delegation AS112 service (RFC 7534)"],
  ["3fff::", 20, "ipv6", "documentation (RFC 9637)"],
  ["5f00::", 16, "ipv6", "segment routing SIDs (RFC 9602)"],
  ["fc00::", 7, "ipv6", "unique local (RFC 4193)"],
  ["fe80::", 10, "ipv6", "link-local unicast (RFC 4291)"],
  ["fec0::", 10, "ipv6", "site-local, deprecated (RFC 3879)"],
  ["ff00::", 8, "ipv6", "multicast (RFC 4291)"],
];

// One list per family: node's BlockList matches an IPv4 address against IPv4-mapped IPv6 rules,
// so ::ffff:0:0/96 in a shared list would refuse every IPv4 address.
const FORBIDDEN = { ipv4: new BlockList(), ipv6: new BlockList() };
for (const [net, prefix, family] of SPECIAL_PURPOSE_RANGES) FORBIDDEN[family].addSubnet(net, prefix, family);

/**
 * True when `address` (an IP literal) is not ordinary public unicast: in any special-purpose range
 * (SPECIAL_PURPOSE_RANGES). The IPv6 forms that carry an IPv4 address (IPv4-mapped and
 * -translated, NAT64, 6to4, Teredo) are special-purpose ranges themselves, so they are refused
 * whatever they carry. Anything that is not an IP literal is forbidden too.
 */
export function isForbiddenAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return FORBIDDEN.ipv4.check(address, "ipv4");
  if (family !== 6) return true;
  return FORBIDDEN.ipv6.check(address, "ipv6");
}

/**
 * Whether webhooks may go to non-public addresses: `allowPrivateAddresses`
 * (PLATFORM_WEBHOOK_ALLOW_PRIVATE), unset meaning the same as `allowHttp`. One rule for the
 * registration and the send-time check.
 */
export function webhooksAllowPrivate(settings: { allowHttp: boolean; allowPrivateAddresses?: boolean }): boolean {
  return settings.allowPrivateAddresses ?? settings.allowHttp;
}

/** The host of a URL as a resolver or `isIP` takes it (IPv6 literals without brackets). */
export function bareHostname(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, "");
}

export type TResolveWebhookAddresses =
  | { ok: true; addresses: TWebhookAddress[] }
  | { ok: false; error: "WEBHOOK_ADDRESS_FORBIDDEN" | "WEBHOOK_RECEIVER_UNREACHABLE"; addresses: TWebhookAddress[] };

/**
 * The addresses a webhook to `hostname` may connect to. An IP literal is itself; a name is resolved
 * (all addresses). Unless `allowPrivate`, ANY forbidden address refuses the whole name — a name
 * that mixes public and private answers is a rebinding or misconfiguration signal, not a fallback.
 */
export async function resolveWebhookAddresses(
  hostname: string,
  o: { allowPrivate: boolean; resolve?: TWebhookResolver },
): Promise<TResolveWebhookAddresses> {
  const literal = isIP(hostname);
  let addresses: TWebhookAddress[];
  if (literal) addresses = [{ address: hostname, family: literal === 6 ? 6 : 4 }];
  else {
    try {
      addresses = await (o.resolve ?? systemWebhookResolver)(hostname);
    } catch (err) {
      createLog("platform/webhooks").warn(errorFields(err), "webhook receiver host does not resolve");
      return { ok: false, error: "WEBHOOK_RECEIVER_UNREACHABLE", addresses: [] };
    }
  }
  if (addresses.length === 0) return { ok: false, error: "WEBHOOK_RECEIVER_UNREACHABLE", addresses };
  if (!o.allowPrivate && addresses.some((a) => isForbiddenAddress(a.address))) {
    return { ok: false, error: "WEBHOOK_ADDRESS_FORBIDDEN", addresses };
  }
  return { ok: true, addresses };
}
