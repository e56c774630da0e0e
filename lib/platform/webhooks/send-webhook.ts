import type { TErrorCode } from "../../errors/codes";
import { signWebhook } from "./sign-webhook";

/** Outcome of one HTTP attempt; `error` is a stable code (lib/errors/codes.ts). */
export type TSendOutcome = {
  ok: boolean;
  statusCode?: number;
  error?: Extract<
    TErrorCode,
    "WEBHOOK_RECEIVER_UNREACHABLE" | "WEBHOOK_RECEIVER_TIMEOUT" | "WEBHOOK_RECEIVER_REJECTED"
  >;
  durationMs: number;
};

/**
 * POSTs one signed message. Success is any 2xx (Standard Webhooks); redirects are not followed
 * (a receiver must give its final URL), and the response body is discarded unread beyond a
 * cancel, so a slow or huge answer cannot hold the dispatcher.
 */
export async function sendWebhook(o: {
  url: string;
  secret: string;
  id: string;
  body: string;
  timestamp: Date;
  timeoutMs: number;
  fetch?: typeof fetch;
}): Promise<TSendOutcome> {
  const started = performance.now();
  const headers = {
    "content-type": "application/json",
    "user-agent": "ichimai-webhooks/1",
    ...signWebhook({ secret: o.secret, id: o.id, timestamp: o.timestamp, body: o.body }),
  };
  const doFetch = o.fetch ?? fetch;
  try {
    const res = await doFetch(o.url, {
      method: "POST",
      headers,
      body: o.body,
      redirect: "manual",
      signal: AbortSignal.timeout(o.timeoutMs),
    });
    await res.body?.cancel().catch(() => {});
    const durationMs = Math.round(performance.now() - started);
    if (res.status >= 200 && res.status < 300) return { ok: true, statusCode: res.status, durationMs };
    return { ok: false, statusCode: res.status, error: "WEBHOOK_RECEIVER_REJECTED", durationMs };
  } catch (err) {
    const durationMs = Math.round(performance.now() - started);
    const name = err instanceof Error ? err.name : "";
    return {
      ok: false,
      error:
        name === "TimeoutError" || name === "AbortError" ? "WEBHOOK_RECEIVER_TIMEOUT" : "WEBHOOK_RECEIVER_UNREACHABLE",
      durationMs,
    };
  }
}
