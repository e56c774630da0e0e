import { rateLimitAddress, type TLoginRequestMetadata } from "@/lib/auth/login-rate-limits";
import { AppError, toErrorResponse } from "@/lib/errors/app-error";

/**
 * What login routes pass to lib/auth about the request: the client address as the audit log
 * records it (first X-Forwarded-For entry, as elsewhere in the app), the address the rate limits
 * key on (its last entry: lib/auth/login-rate-limits.ts rateLimitAddress) and the user agent.
 */
export function loginRequestMetadata(headers: Headers): TLoginRequestMetadata {
  const xff = headers.get("x-forwarded-for");
  const ip = xff?.split(",")[0]?.trim().slice(0, 64);
  const userAgent = headers.get("user-agent") ?? undefined;
  return {
    ...(ip ? { ip } : {}),
    ...(rateLimitAddress(xff) ? { limitIp: rateLimitAddress(xff) } : {}),
    ...(userAgent ? { userAgent } : {}),
  };
}

/** The JSON error of a login route; RATE_LIMITED (429) carries Retry-After. */
export function loginErrorResponse(err: unknown): Response {
  const { status, body } = toErrorResponse(err);
  const headers: Record<string, string> = { "Cache-Control": "no-store" };
  if (err instanceof AppError && err.code === "RATE_LIMITED") {
    headers["Retry-After"] = String((err.details as { retryAfterSeconds?: number })?.retryAfterSeconds ?? 60);
  }
  return Response.json(body, { status, headers });
}
