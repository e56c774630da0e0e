import { fixedWindow, retryAfterSeconds } from "../../lib/rate-limit/fixed-window";

/**
 * The real time (certificates and OCSP answers are checked against it), moved to the start of
 * the next window when the current one ends within 2 minutes, so a test never straddles a
 * window boundary.
 */
export function freshWindowTime(windowMs: number): Date {
  const now = new Date();
  const { resetAt } = fixedWindow(now, windowMs);
  return resetAt.getTime() - now.getTime() < 120_000 ? new Date(resetAt.getTime() + 1000) : now;
}

/** The Retry-After a refusal at `now` must carry: seconds to the end of its window. */
export function secondsToWindowEnd(now: Date, windowMs: number): string {
  return String(retryAfterSeconds(now, fixedWindow(now, windowMs).resetAt));
}
