import { headers } from "next/headers";
import type { TAuditChannel, TRequestMetadata } from "@/lib/audit/schemas";
import { requestMetadataOf } from "@/lib/http/request-metadata";

/** Client address and user agent of the current request (server components and actions), for the audit rows lib writes. */
export async function currentRequestMetadata(): Promise<TRequestMetadata> {
  return requestMetadataOf(await headers());
}

/** Channel and request metadata of the current resident request, for the audit rows lib writes. */
export async function residentRequestContext(): Promise<{ channel: TAuditChannel; requestMetadata: TRequestMetadata }> {
  const requestMetadata = await currentRequestMetadata();
  const { userAgent } = requestMetadata;
  // A hint only: the audit log records what the browser claims to be.
  const channel: TAuditChannel = userAgent && /Mobile|Android|iPhone/i.test(userAgent) ? "phone" : "pc";
  return { channel, requestMetadata };
}
