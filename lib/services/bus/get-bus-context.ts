import { getRuntime, type TRuntime } from "../../runtime/runtime";
import type { TBusContext } from "./bus-context";

/** The process's bus context: a view over the runtime (database, clock, issuer roots, secrets keys). */
export async function getBusContext(rt: TRuntime = getRuntime()): Promise<TBusContext> {
  return {
    prisma: await rt.db(),
    now: rt.now,
    trustAnchors: () => rt.issuerTrust.anchors(),
    secretsKeys: () => rt.secretsKeys(),
  };
}
