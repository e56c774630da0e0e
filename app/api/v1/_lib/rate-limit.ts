import { AppError } from "@/lib/errors/app-error";

const WINDOW_MS = 60_000;
const windows = new Map<string, { start: number; count: number }>();

/**
 * Fixed one-minute window per credential (PartnerCredential.rateLimit requests per minute).
 * In-process: with several app servers each enforces the limit on its own share of traffic,
 * so the effective limit is up to N× higher; a shared counter (a PostgreSQL table or Redis)
 * replaces this when the API runs on more than one server.
 */
export function checkRateLimit(key: string, perMinute: number, now: Date): void {
  const t = now.getTime();
  const w = windows.get(key);
  if (!w || t - w.start >= WINDOW_MS) {
    windows.set(key, { start: t, count: 1 });
    if (windows.size > 10_000) {
      for (const [k, v] of windows) if (t - v.start >= WINDOW_MS) windows.delete(k);
    }
    return;
  }
  w.count += 1;
  if (w.count > perMinute) {
    throw new AppError("RATE_LIMITED", {
      details: { limitPerMinute: perMinute, retryAfterSeconds: Math.ceil((w.start + WINDOW_MS - t) / 1000) },
    });
  }
}
