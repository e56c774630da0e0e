/**
 * The client address of a request: the one place ichimai derives it, for the audit log ("who
 * looked at my data") and for the per-address rate limits alike.
 *
 * ## Trusted-proxy model
 *
 * `TRUSTED_PROXY_HOPS` (lib/env.ts) is the number of X-Forwarded-For entries, counted from the
 * right, that were written by servers we trust. The client is the N-th entry from the right:
 * everything left of it may have been sent by the client itself and is ignored.
 *
 * - Next.js itself (`next start`, `next dev`) **sets** X-Forwarded-For to the TCP peer when the
 *   request has none, and leaves an existing header untouched (base-server.js:
 *   `req.headers['x-forwarded-for'] ??= socket.remoteAddress`); it never appends.
 * - Default `1`: one reverse proxy in front of Next that appends (nginx
 *   `$proxy_add_x_forwarded_for`) or sets (`$remote_addr`) the header. Its entry is the last one,
 *   and it is the address the proxy saw. The same default gives the true peer when `next start`
 *   is reached directly by a client that sends no header (development, e2e): Next's own entry is
 *   then the only one. Reached directly, though, a client that sends the header chooses the
 *   value, because Next keeps it — so production must not expose Next without a proxy, or must
 *   run with `0`.
 * - `2`, `3`, …: that many appending proxies (e.g. a CDN, then a load balancer); the proxies'
 *   own addresses to the right of the client are skipped.
 * - `0`: trust no X-Forwarded-For at all. No address is recorded and the per-address limits do
 *   not apply (the per-binding and per-certificate limits still do). Route handlers cannot see
 *   the TCP peer, so this is the honest choice for a portal exposed without a proxy.
 *
 * With fewer entries than hops (a proxy that sets rather than appends, or a request that reached
 * an inner proxy directly) the left-most entry is taken: every entry there was written by a
 * trusted server. The chosen entry must be an IP address (node:net isIP) — anything else gives
 * no address rather than a wrong one; the entries next to it are never tried instead.
 */
import { isIP } from "node:net";
import { env } from "../env";

/** `Headers`, Next's ReadonlyHeaders, or anything else that looks a header up by name. */
export type THeaderSource = { get(name: string): string | null };

export type TClientAddressConfig = {
  /** X-Forwarded-For entries, from the right, written by trusted servers (TRUSTED_PROXY_HOPS). */
  trustedProxyHops: number;
};

/** Longest address kept (AuditEvent.ip, ZRequestMetadata). */
const MAX_ADDRESS_LENGTH = 64;

/** The configuration of this process: TRUSTED_PROXY_HOPS from the environment. */
export function clientAddressConfig(): TClientAddressConfig {
  return { trustedProxyHops: env().TRUSTED_PROXY_HOPS };
}

/**
 * The client address under the trusted-proxy model above, normalised (normalizeAddress), or
 * undefined when there is none to trust.
 */
export function clientAddress(
  headers: THeaderSource,
  config: TClientAddressConfig = clientAddressConfig(),
): string | undefined {
  const hops = config.trustedProxyHops;
  if (!Number.isInteger(hops) || hops < 1) return undefined;
  const entries = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter((e) => e !== "");
  const entry = entries[Math.max(0, entries.length - hops)];
  return entry === undefined ? undefined : normalizeAddress(entry);
}

/**
 * An IP address as ichimai stores and keys on it: trimmed, lower case, an IPv4-mapped IPv6
 * address (`::ffff:192.0.2.1`, what a dual-stack socket reports for IPv4) as plain IPv4, at most
 * 64 characters; undefined when it is not an IP address.
 */
export function normalizeAddress(raw: string): string | undefined {
  let address = raw.trim().toLowerCase();
  if (address.startsWith("::ffff:") && isIP(address.slice(7)) === 4) address = address.slice(7);
  return isIP(address) === 0 ? undefined : address.slice(0, MAX_ADDRESS_LENGTH);
}
