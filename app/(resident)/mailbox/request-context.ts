import { headers } from "next/headers";
import type { TAuditChannel, TRequestMetadata } from "@/lib/audit/schemas";

/** Channel and request metadata of the current resident request, for the audit rows lib writes. */
export async function residentRequestContext(): Promise<{ channel: TAuditChannel; requestMetadata: TRequestMetadata }> {
  const h = await headers();
  const userAgent = h.get("user-agent") ?? undefined;
  const ip = h.get("x-forwarded-for")?.split(",")[0]?.trim().slice(0, 64);
  // A hint only: the audit log records what the browser claims to be.
  const channel: TAuditChannel = userAgent && /Mobile|Android|iPhone/i.test(userAgent) ? "phone" : "pc";
  return { channel, requestMetadata: { ...(ip ? { ip } : {}), ...(userAgent ? { userAgent } : {}) } };
}
