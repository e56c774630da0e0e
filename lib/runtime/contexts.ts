/**
 * The contexts the domains take, built from a runtime's configuration and database: card login
 * (lib/auth) and the verification platform (lib/platform), each with J-LIS as this deployment
 * reaches it (lib/jlis/service.ts) under its own registered-verifier id.
 */
import { bindingCookieName } from "../auth/binding-cookie";
import type { TCardLoginContext } from "../auth/verify-card-login";
import type { PrismaClient } from "../db/prisma";
import type { TEnv } from "../env";
import { DEV_VERIFIERS, resolveJlisService } from "../jlis/service";
import { DEFAULT_WEBHOOK_SETTINGS, type TPlatformContext } from "../platform/platform-context";

type TContextParts = {
  config: TEnv;
  db: () => Promise<PrismaClient>;
  secretsKeys: () => { key: Uint8Array; previousKeys: Uint8Array[] };
};

/** The card-login context: the portal origin, the JPKI trust anchors, revocation and linking through J-LIS. */
export async function buildCardLoginContext(rt: TContextParts): Promise<TCardLoginContext> {
  const { config, anchors, jlis } = await resolveJlisService(DEV_VERIFIERS.portal, rt.config);
  return {
    db: await rt.db(),
    portalOrigin: config.PORTAL_ORIGIN,
    bindingCookieName: bindingCookieName(config.PORTAL_ORIGIN),
    authTrustAnchors: anchors.auth,
    signTrustAnchors: anchors.sign,
    jlis,
  };
}

/**
 * The platform context: the JPKI signing roots and OCSP responder certificates J-LIS publishes,
 * J-LIS with the platform's registered-verifier credentials (docs/jpki.md#registered-verifiers), the webhook settings
 * and the secrets keys of this configuration.
 */
export async function buildPlatformContext(rt: TContextParts & { now: () => Date }): Promise<TPlatformContext> {
  const { config, anchors, jlis } = await resolveJlisService(DEV_VERIFIERS.platform, rt.config);
  const secretsKeys = rt.secretsKeys();
  return {
    prisma: await rt.db(),
    signTrustAnchors: anchors.sign,
    testSignTrustAnchors: anchors.testSign,
    jlis,
    webhooks: {
      ...DEFAULT_WEBHOOK_SETTINGS,
      allowHttp: config.PLATFORM_WEBHOOK_ALLOW_HTTP || config.NODE_ENV !== "production",
      allowPrivateAddresses:
        config.PLATFORM_WEBHOOK_ALLOW_PRIVATE || config.PLATFORM_WEBHOOK_ALLOW_HTTP || config.NODE_ENV !== "production",
      secretsKey: secretsKeys.key,
      previousSecretsKeys: secretsKeys.previousKeys,
    },
    eligibility: {
      authTrustAnchors: anchors.auth,
      testAuthTrustAnchors: anchors.testAuth,
      origin: new URL(config.PORTAL_ORIGIN).origin,
    },
    now: rt.now,
  };
}
