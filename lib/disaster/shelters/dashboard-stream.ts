import type { TDisasterContext } from "../context";
import { shelterDashboard } from "./dashboard";
import type { TShelterDashboard } from "./schemas";

/** How often the stream reads the figures. */
export const DASHBOARD_POLL_MS = 2000;

/**
 * The dashboard's changes: the first snapshot at once, then every `intervalMs` the figures are
 * read again and a snapshot yielded only when one changed (its `version`); `{ idle: true }` when
 * `keepAliveMs` passed without a change (the stream sends a comment so proxies keep it open).
 * Ends when `signal` aborts. `sleep` is injectable for tests.
 */
export async function* dashboardChanges(
  ctx: TDisasterContext,
  o: {
    signal: AbortSignal;
    intervalMs?: number;
    keepAliveMs?: number;
    sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  },
): AsyncGenerator<TShelterDashboard | { idle: true }> {
  const interval = o.intervalMs ?? DASHBOARD_POLL_MS;
  const keepAlive = o.keepAliveMs ?? 15_000;
  const sleep = o.sleep ?? abortableSleep;
  let last = "";
  let quiet = 0;
  while (!o.signal.aborted) {
    const snapshot = await shelterDashboard(ctx);
    if (snapshot.version !== last) {
      last = snapshot.version;
      quiet = 0;
      yield snapshot;
    } else {
      quiet += interval;
      if (quiet >= keepAlive) {
        quiet = 0;
        yield { idle: true };
      }
    }
    await sleep(interval, o.signal);
  }
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
