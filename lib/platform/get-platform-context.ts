/**
 * The process-wide platform context, built by the runtime (lib/runtime/contexts.ts) from the
 * environment (lib/env.ts): the JPKI signing roots and OCSP responder certificates published by
 * the (simulated) J-LIS under JLIS_DATA_DIR, and J-LIS at JLIS_BASE_URL with this platform's
 * registered-verifier credentials (docs/jpki.md#registered-verifiers). The background jobs start in lib/jobs.
 */
import { getRuntime } from "../runtime/runtime";
import type { TPlatformContext } from "./platform-context";

/**
 * The platform context of this process, a view over getRuntime(). Kept once signing roots were
 * found; while the simulator is not initialized (no roots) it is rebuilt per call, so
 * `npm run jpki -- init` is picked up.
 */
export function getPlatformContext(): Promise<TPlatformContext> {
  return getRuntime().platform();
}

/** The `TApiDeps` of the /api/v1 partner wrapper, bound to a platform context getter. */
export function platformApiDeps(getContext: () => Promise<TPlatformContext>): {
  getPrisma: () => Promise<TPlatformContext["prisma"]>;
  getTrustAnchors: () => Promise<Uint8Array[]>;
  getContext: () => Promise<TPlatformContext>;
  now?: () => Date;
} {
  return {
    getPrisma: async () => (await getContext()).prisma,
    getTrustAnchors: async () => (await getContext()).signTrustAnchors,
    getContext,
  };
}
