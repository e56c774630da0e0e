/**
 * Single sign-on demo: the two demo relying parties (partner-sim/sso-rp) registered as OIDC
 * clients of the portal's provider — the town library (may ask for the name) and the schools'
 * system (may ask only whether the resident is 18 or older). Idempotent: an existing client keeps
 * its secret and gets the redirect URIs of the current ports. `demoOidcClientSecrets` opens the
 * sealed secrets for `npm run dev`, which starts the RPs with them.
 */
import type { PrismaClient } from "../../lib/db/client";
import { openSecret, sealSecret, secretsEncryptionKeys } from "../../lib/crypto/secret-box";
import { env } from "../../lib/env";
import { clientSecretAad, createOidcClient } from "../../lib/oidc/clients";
import { DEMO_RPS, demoRpPort, type TDemoRpKey } from "../../partner-sim/sso-rp/demo-rps";
import type { TDemoServiceSeeder } from "./demo-services";

/** The redirect URIs of a demo RP on its port. */
export function demoRpUris(port: number): { redirectUris: string[]; postLogoutRedirectUris: string[] } {
  const base = `http://127.0.0.1:${port}`;
  return { redirectUris: [`${base}/callback`], postLogoutRedirectUris: [`${base}/`] };
}

/** Registers (or updates the redirect URIs of) the demo RPs for the given ports. */
export async function seedDemoOidcClients(prisma: PrismaClient, ports: Record<TDemoRpKey, number>): Promise<void> {
  const { key } = secretsEncryptionKeys(env());
  for (const rp of Object.values(DEMO_RPS)) {
    const uris = demoRpUris(ports[rp.key as TDemoRpKey]);
    const existing = await prisma.oidcClient.findUnique({ where: { id: rp.clientId }, select: { id: true } });
    if (existing) {
      await prisma.oidcClient.update({ where: { id: rp.clientId }, data: uris });
      continue;
    }
    await createOidcClient(
      prisma,
      {
        id: rp.clientId,
        name: rp.title,
        nameEn: rp.nameEn,
        ...uris,
        allowedScopes: rp.claims as never,
        sectorIdentifier: rp.sectorIdentifier,
      },
      { sealSecret: (plain, aad) => sealSecret(plain, { key, aad }) },
    );
  }
}

/** The demo RPs' client secrets (opened with the secrets key), for starting them. */
export async function demoOidcClientSecrets(prisma: PrismaClient): Promise<Record<TDemoRpKey, string>> {
  const { key, previousKeys } = secretsEncryptionKeys(env());
  const out = {} as Record<TDemoRpKey, string>;
  for (const [k, rp] of Object.entries(DEMO_RPS) as [TDemoRpKey, (typeof DEMO_RPS)[TDemoRpKey]][]) {
    const row = await prisma.oidcClient.findUniqueOrThrow({ where: { id: rp.clientId } });
    out[k] = openSecret(row.secretSealed, { key, previousKeys, aad: clientSecretAad(rp.clientId) });
  }
  return out;
}

/** DEMO_SERVICE_SEEDERS entry: the demo RPs on the ports beside PORTAL_ORIGIN's. */
export const seedDemoOidc: TDemoServiceSeeder = async ({ prisma }) => {
  const portalPort = Number(new URL(env().PORTAL_ORIGIN).port || 3000);
  await seedDemoOidcClients(prisma, {
    library: demoRpPort("library", portalPort),
    school: demoRpPort("school", portalPort),
  });
  return { terminals: [], lines: [] };
};
