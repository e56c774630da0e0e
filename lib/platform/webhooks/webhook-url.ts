import { isIP } from "node:net";
import { AppError } from "../../errors/app-error";
import { bareHostname, isForbiddenAddress, resolveWebhookAddresses, type TWebhookResolver } from "./webhook-address";

/**
 * Checks a partner's webhook URL when it is registered, without the network: absolute http(s), no
 * userinfo, no fragment. Outside development (allowHttp false) only https; unless non-public
 * receivers are allowed (`allowPrivate`, webhooksAllowPrivate; default: as allowHttp), no
 * `localhost` name or literal non-public address (webhook-address.ts), so the platform cannot be
 * pointed at its own network (SSRF). The host name is then resolved by `assertWebhookHost`.
 */
export function assertWebhookUrl(raw: string, o: { allowHttp: boolean; allowPrivate?: boolean }): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError("WEBHOOK_URL_INVALID", { message: "Not an absolute URL." });
  }
  if (url.protocol !== "https:" && !(o.allowHttp && url.protocol === "http:")) {
    throw new AppError("WEBHOOK_URL_INVALID", { message: o.allowHttp ? "Use http or https." : "Use https." });
  }
  if (url.username || url.password)
    throw new AppError("WEBHOOK_URL_INVALID", { message: "No credentials in the URL." });
  if (url.hash) throw new AppError("WEBHOOK_URL_INVALID", { message: "No fragment in the URL." });
  if (!(o.allowPrivate ?? o.allowHttp)) {
    // The WHATWG parser already normalised numeric IPv4 forms (0x7f.1, 2130706433) to dotted quads.
    const host = bareHostname(url).toLowerCase();
    const local = host === "localhost" || host.endsWith(".localhost") || (isIP(host) !== 0 && isForbiddenAddress(host));
    if (local) throw new AppError("WEBHOOK_URL_INVALID", { message: "The URL points to a private address." });
  }
  return url;
}

/**
 * The registration-time DNS check, with the sender's own resolution and classification
 * (`resolveWebhookAddresses`): a host that is or resolves to any non-public address is
 * WEBHOOK_ADDRESS_FORBIDDEN unless `allowPrivate` (webhooksAllowPrivate); a name that does not
 * resolve (no answer, resolver error, or no answer within `timeoutMs`) is WEBHOOK_HOST_UNRESOLVABLE.
 * The answer may change later, so every send checks again and pins the connection (send-webhook.ts).
 * Neither error names the addresses: they may be of a network the partner should not learn about.
 */
export async function assertWebhookHost(
  url: URL,
  o: { allowPrivate: boolean; resolve?: TWebhookResolver; timeoutMs: number },
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), o.timeoutMs);
  });
  const resolved = await Promise.race([
    resolveWebhookAddresses(bareHostname(url), { allowPrivate: o.allowPrivate, resolve: o.resolve }),
    timeout,
  ]).finally(() => clearTimeout(timer));
  if (resolved === "timeout" || (!resolved.ok && resolved.error === "WEBHOOK_RECEIVER_UNREACHABLE")) {
    throw new AppError("WEBHOOK_HOST_UNRESOLVABLE", {
      message: `The host name ${bareHostname(url)} could not be resolved.`,
      details: { host: bareHostname(url) },
    });
  }
  if (!resolved.ok) {
    throw new AppError("WEBHOOK_ADDRESS_FORBIDDEN", {
      message: "The host name resolves to a loopback, private, link-local or otherwise non-public address.",
      details: { host: bareHostname(url) },
    });
  }
}
