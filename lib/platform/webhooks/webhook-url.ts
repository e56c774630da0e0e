import { AppError } from "../../errors/app-error";

const PRIVATE_V4 = [
  /^10\./,
  /^127\./,
  /^169\.254\./,
  /^192\.168\./,
  /^172\.(1[6-9]|2\d|3[01])\./,
  /^0\./,
  /^100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\./,
];

/**
 * Checks a partner's webhook URL: absolute http(s), no userinfo, no fragment. Outside development
 * (allowHttp false) only https, and no literal loopback, link-local or private address, so the
 * platform cannot be pointed at its own network (SSRF). Host names are not resolved here: a name
 * that resolves to a private address must be stopped by the egress network policy.
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
    const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
    const local =
      host === "localhost" ||
      host.endsWith(".localhost") ||
      PRIVATE_V4.some((r) => r.test(host)) ||
      host === "::1" ||
      host.startsWith("fc") ||
      host.startsWith("fd") ||
      host.startsWith("fe80:");
    if (local) throw new AppError("WEBHOOK_URL_INVALID", { message: "The URL points to a private address." });
  }
  return url;
}
