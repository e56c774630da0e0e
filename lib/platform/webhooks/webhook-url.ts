import { isIP } from "node:net";
import { AppError } from "../../errors/app-error";
import { bareHostname, isForbiddenAddress } from "./webhook-address";

/**
 * Checks a partner's webhook URL when it is registered: absolute http(s), no userinfo, no
 * fragment. Outside development (allowHttp false) only https, and no `localhost` name or literal
 * non-public address (webhook-address.ts), so the platform cannot be pointed at its own network
 * (SSRF). Host names are not resolved here — the answer could change later — but on every send,
 * where each resolved address is checked and the connection pinned to it (send-webhook.ts).
 */
export function assertWebhookUrl(raw: string, o: { allowHttp: boolean }): URL {
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
  if (!o.allowHttp) {
    // The WHATWG parser already normalised numeric IPv4 forms (0x7f.1, 2130706433) to dotted quads.
    const host = bareHostname(url).toLowerCase();
    const local = host === "localhost" || host.endsWith(".localhost") || (isIP(host) !== 0 && isForbiddenAddress(host));
    if (local) throw new AppError("WEBHOOK_URL_INVALID", { message: "The URL points to a private address." });
  }
  return url;
}
