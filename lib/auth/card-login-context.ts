/**
 * The process's card-login context (the portal origin, the JPKI trust anchors, revocation and
 * linking through J-LIS), built by the runtime (lib/runtime/contexts.ts) from lib/env.ts.
 */
import { getRuntime } from "../runtime/runtime";
import type { TCardLoginContext } from "./verify-card-login";

/**
 * The process-wide context, a view over getRuntime(). Kept once trust anchors were found; while
 * the simulator is not initialized yet (no roots), it is rebuilt on each call so that
 * `npm run jpki -- init` (or the e2e set-up) is picked up without a restart.
 */
export function getCardLoginContext(): Promise<TCardLoginContext> {
  return getRuntime().cardLogin();
}
