import { AppError, toErrorResponse } from "@/lib/errors/app-error";

/** The JSON error of a login route; RATE_LIMITED (429) carries Retry-After. */
export function loginErrorResponse(err: unknown): Response {
  const { status, body } = toErrorResponse(err);
  const headers: Record<string, string> = { "Cache-Control": "no-store" };
  if (err instanceof AppError && err.code === "RATE_LIMITED") {
    headers["Retry-After"] = String((err.details as { retryAfterSeconds?: number })?.retryAfterSeconds ?? 60);
  }
  return Response.json(body, { status, headers });
}
