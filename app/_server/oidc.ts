/**
 * The portal's OpenID Provider (lib/oidc, docs/sso.md), one per process (on globalThis, so that
 * `next dev` module reloads share it): oidc-provider's Node handler runs on a loopback server of
 * its own (127.0.0.1, ephemeral port), and app/oidc/[...path]/route.ts forwards /oidc/* to it with
 * the portal's public origin in X-Forwarded-Host/Proto (the provider trusts them: `proxy`), so the
 * issuer and every endpoint URL are PORTAL_ORIGIN/oidc under `next dev` and `next start` alike.
 */
import type Provider from "oidc-provider";
import { deriveSecretsSubkey, openSecret, sealSecret, secretsEncryptionKeys } from "@/lib/crypto/secret-box";
import { getDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";
import { listenLoopback, mountedOidcHandler, OIDC_MOUNT_PATH } from "@/lib/oidc/mount";
import type { TPortalResident } from "@/lib/oidc/provider";
import { providerCache } from "@/lib/oidc/provider-cache";
import { residentSessionOfCookieHeader, SESSION_COOKIE_NAMES } from "./auth";

type THolder = { provider?: Promise<() => Promise<Provider>>; server?: Promise<string> };
const holder = globalThis as { __ichimaiOidc?: THolder };
holder.__ichimaiOidc ??= {};
const cache = holder.__ichimaiOidc;

// Development only (production refuses to start the provider without OIDC_PAIRWISE_SALT).
const DEV_PAIRWISE_SALT = "ichimai-dev-only-pairwise-salt-not-for-production";

function pairwiseSalt(): string {
  const config = env();
  if (config.OIDC_PAIRWISE_SALT) return config.OIDC_PAIRWISE_SALT;
  if (config.NODE_ENV === "production") {
    throw new AppError("INTERNAL", {
      message: "OIDC_PAIRWISE_SALT must be set in production (openssl rand -base64 32).",
    });
  }
  return DEV_PAIRWISE_SALT;
}

/** The issuer: the portal's public origin + /oidc. */
export function oidcIssuer(): string {
  return `${new URL(env().PORTAL_ORIGIN).origin}${OIDC_MOUNT_PATH}`;
}

/** The portal session in a Cookie header, for a resident still in the registry. */
async function portalResident(cookieHeader: string | undefined): Promise<TPortalResident | null> {
  const session = await residentSessionOfCookieHeader(cookieHeader);
  if (!session) return null;
  const row = await (await getDb()).resident.findUnique({
    where: { id: session.residentId },
    select: { leftAt: true },
  });
  return row && !row.leftAt ? session : null;
}

/** The process's provider (rebuilt after a signing-key rotation). */
export async function getOidcProvider(): Promise<Provider> {
  cache.provider ??= getDb().then((prisma) => {
    const config = env();
    const { key, previousKeys } = secretsEncryptionKeys(config);
    return providerCache({
      prisma,
      issuer: oidcIssuer(),
      seal: (plain, aad) => sealSecret(plain, { key, aad }),
      open: (sealed, aad) => openSecret(sealed, { key, previousKeys, aad }),
      // Derived from the secrets key: rotating that key ends the provider's sessions (not the portal's).
      cookieKeys: [deriveSecretsSubkey(key, "ichimai-oidc-cookies").toString("base64url")],
      pairwiseSalt: pairwiseSalt(),
      portalResident,
      portalSessionCookies: [...SESSION_COOKIE_NAMES],
    });
  });
  return (await cache.provider)();
}

/** Seals with the secrets key (client secrets and signing keys, for the console's actions). */
export function oidcSealer(): (plain: string, aad: string) => string {
  const { key } = secretsEncryptionKeys(env());
  return (plain, aad) => sealSecret(plain, { key, aad });
}

/** The loopback server's base URL (started on first use). */
export function oidcUpstream(): Promise<string> {
  cache.server ??= listenLoopback(mountedOidcHandler(getOidcProvider))
    .then(({ url }) => url)
    .catch((e) => {
      cache.server = undefined;
      throw e;
    });
  return cache.server;
}
