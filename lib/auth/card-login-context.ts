/**
 * Builds the card-login context from the environment (lib/env.ts): the portal origin, the JPKI
 * trust anchors and the J-LIS client for revocation and linking (lib/jlis).
 */
import { getDb } from "../db/client";
import { DEV_VERIFIERS, resolveJlisService } from "../jlis/service";
import { bindingCookieName } from "./binding-cookie";
import type { TCardLoginContext } from "./verify-card-login";

const g = globalThis as unknown as { __ichimaiCardLogin?: Promise<TCardLoginContext> };

async function buildContext(): Promise<TCardLoginContext> {
  const { config, anchors, jlis } = await resolveJlisService(DEV_VERIFIERS.portal);
  return {
    db: await getDb(),
    portalOrigin: config.PORTAL_ORIGIN,
    bindingCookieName: bindingCookieName(config.PORTAL_ORIGIN),
    authTrustAnchors: anchors.auth,
    signTrustAnchors: anchors.sign,
    jlis,
  };
}

/**
 * The process-wide context. Kept once trust anchors were found; while the simulator is not
 * initialized yet (no roots), it is rebuilt on each call so that `npm run jpki -- init` (or the
 * e2e set-up) is picked up without a restart.
 */
export function getCardLoginContext(): Promise<TCardLoginContext> {
  const cached = g.__ichimaiCardLogin;
  if (cached) return cached;
  const building = buildContext();
  g.__ichimaiCardLogin = building.then(
    (ctx) => {
      if (ctx.authTrustAnchors.length === 0) g.__ichimaiCardLogin = undefined;
      return ctx;
    },
    (e) => {
      g.__ichimaiCardLogin = undefined;
      throw e;
    },
  );
  return g.__ichimaiCardLogin;
}
