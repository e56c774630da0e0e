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

// Special-purpose ranges (IANA IPv4/IPv6 Special-Purpose Address Registries, RFC 6890) that are
// not reachable public unicast. Documentation ranges are left out: they route nowhere anyway.
const FORBIDDEN = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8], // "this network", incl. the unspecified 0.0.0.0
  ["10.0.0.0", 8], // private (RFC 1918)
  ["100.64.0.0", 10], // carrier-grade NAT (RFC 6598)
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local, incl. cloud metadata 169.254.169.254
  ["172.16.0.0", 12], // private
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.168.0.0", 16], // private
  ["198.18.0.0", 15], // benchmarking
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, incl. broadcast 255.255.255.255
] as const) {
  FORBIDDEN.addSubnet(net, prefix, "ipv4");
}
for (const [net, prefix] of [
  ["::", 128], // unspecified
  ["::1", 128], // loopback
  ["::", 96], // IPv4-compatible (deprecated)
  ["100::", 64], // discard-only
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
] as const) {
  FORBIDDEN.addSubnet(net, prefix, "ipv6");
}

/** The 16 bytes of an IPv6 address in text form (already validated by `isIP`). */
function ipv6Bytes(address: string): number[] {
  let text = address.toLowerCase().split("%")[0] ?? "";
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const [a = 0, b = 0, c = 0, d = 0] = dotted[1].split(".").map(Number);
    text = `${text.slice(0, -dotted[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const h = head ? head.split(":") : [];
  const t = tail === undefined ? [] : tail ? tail.split(":") : [];
  const groups = [...h, ...Array(8 - h.length - t.length).fill("0"), ...t].map((g) => Number.parseInt(g, 16));
  return groups.flatMap((g) => [g >> 8, g & 0xff]);
}

/** The IPv4 address an IPv6 address carries (IPv4-mapped ::ffff:0:0/96, NAT64 64:ff9b::/96, 6to4 2002::/16). */
function embeddedIpv4(address: string): string | undefined {
  const b = ipv6Bytes(address);
  const zero = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  if (zero(0, 10) && b[10] === 0xff && b[11] === 0xff) return b.slice(12).join(".");
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zero(4, 12)) return b.slice(12).join(".");
  if (b[0] === 0x20 && b[1] === 0x02) return b.slice(2, 6).join(".");
  return undefined;
}

/**
 * True when `address` (an IP literal) is not a public unicast address: loopback, private,
 * link-local, unique-local, unspecified, multicast, reserved, or an IPv6 form that carries such
 * an IPv4 address. Anything that is not an IP literal is forbidden too.
 */
export function isForbiddenAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return FORBIDDEN.check(address, "ipv4");
  if (family !== 6) return true;
  if (FORBIDDEN.check(address, "ipv6")) return true;
  const v4 = embeddedIpv4(address);
  return v4 !== undefined && FORBIDDEN.check(v4, "ipv4");
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
