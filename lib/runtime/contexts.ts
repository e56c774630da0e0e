/**
 * The contexts the domains take, built from a runtime's configuration and database: card login
 * (lib/auth) and the verification platform (lib/platform), each with J-LIS as this deployment
 * reaches it (lib/jlis/service.ts) under its own registered-verifier id.
 */
import { bindingCookieName } from "../auth/binding-cookie";
import type { TCardLoginContext } from "../auth/verify-card-login";
import type { PrismaClient } from "../db/prisma";
import type { TEnv } from "../env";
import { createJlisLinks } from "../jlis/client";
import { DEV_VERIFIERS, jlisRevocationCheck, resolveJlisService } from "../jlis/service";
import { createPlatformJlis, DEFAULT_WEBHOOK_SETTINGS, type TPlatformContext } from "../platform/platform-context";

type TContextParts = {
  db: () => Promise<PrismaClient>;
  secretsKeys: () => { key: Uint8Array; previousKeys: Uint8Array[] };
};

/** The card-login context: the portal origin, the JPKI trust anchors, revocation and linking through J-LIS. */
export async function buildCardLoginContext(rt: TContextParts): Promise<TCardLoginContext> {
  const { config, anchors, service } = await resolveJlisService(DEV_VERIFIERS.portal);
  return {
    db: await rt.db(),
    portalOrigin: config.PORTAL_ORIGIN,
    bindingCookieName: bindingCookieName(config.PORTAL_ORIGIN),
    authTrustAnchors: anchors.auth,
    signTrustAnchors: anchors.sign,
    checkRevocation: jlisRevocationCheck(service),
    jlis: createJlisLinks(service),
  };
}

/**
 * The platform context: the JPKI signing roots and OCSP responder certificates J-LIS publishes,
 * J-LIS with the platform's registered-verifier credentials (JPKI.md §3), the webhook settings
 * and the secrets keys of this configuration.
 */
export async function buildPlatformContext(
  rt: TContextParts & { config: TEnv; now: () => Date },
): Promise<TPlatformContext> {
  const { config, anchors, service } = await resolveJlisService(DEV_VERIFIERS.platform);
  const secretsKeys = rt.secretsKeys();
  return {
    prisma: await rt.db(),
    signTrustAnchors: anchors.sign,
    jlis: createPlatformJlis(service),
    webhooks: {
      ...DEFAULT_WEBHOOK_SETTINGS,
      allowHttp: config.PLATFORM_WEBHOOK_ALLOW_HTTP || config.NODE_ENV !== "production",
      allowPrivateAddresses:
        config.PLATFORM_WEBHOOK_ALLOW_PRIVATE || config.PLATFORM_WEBHOOK_ALLOW_HTTP || config.NODE_ENV !== "production",
      secretsKey: secretsKeys.key,
      previousSecretsKeys: secretsKeys.previousKeys,
    },
    eligibility: { authTrustAnchors: anchors.auth, origin: new URL(config.PORTAL_ORIGIN).origin },
    now: rt.now,
  };
}
