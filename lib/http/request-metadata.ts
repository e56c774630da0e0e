import type { TRequestMetadata } from "../audit/schemas";
import { clientAddress, type TClientAddressConfig, type THeaderSource } from "./client-address";

/**
 * What the audit rows (and the login rate limits) record about a request: the client address
 * (clientAddress, the trusted-proxy model of TRUSTED_PROXY_HOPS) and the user agent. Every
 * request-context helper of app/ builds its metadata here, so the address has one meaning.
 */
export function requestMetadataOf(headers: THeaderSource, config?: TClientAddressConfig): TRequestMetadata {
  const ip = clientAddress(headers, config);
  const userAgent = headers.get("user-agent") ?? undefined;
  return { ...(ip ? { ip } : {}), ...(userAgent ? { userAgent } : {}) };
}
