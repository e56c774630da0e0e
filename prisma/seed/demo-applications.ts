/**
 * Administrative applications in the demo (lib/services/applications): the town's signing
 * identity in TOWN_SIGNER_DIR — an organisation certificate for `ichimai-town` from the simulated
 * partner CA — so that approving a 住民票の写し request in /admin/applications delivers a
 * town-signed copy. Idempotent: an existing signer is kept.
 *
 * No application is seeded: one needs a signature the demo resident makes with the card through
 * the agent and a J-LIS status check, and J-LIS (the portal's /jlis) is not running while the
 * seed runs. The dev banner says where to start instead.
 */
import { env, resolveDataPath } from "../../lib/env";
import { generateRsaKeyPair } from "../../jlis-sim/ca/ca";
import { issueOrganizationCertificate } from "../../jlis-sim/partner-ca/partner-ca";
import { hasTownSigner, writeTownSigner } from "../../lib/services/applications/town-signer";
import { DEMO_PREFECTURE, DEMO_TOWN } from "./factories";
import type { TDemoServiceContext, TDemoServiceSeed } from "./demo-services";

const TOWN_SLUG = "ichimai-town";

export async function seedDemoApplications(ctx: TDemoServiceContext): Promise<TDemoServiceSeed> {
  await ensureTownSigner(ctx, resolveDataPath(env().TOWN_SIGNER_DIR));
  return {
    terminals: [],
    lines: [
      "Applications: a demo card holder signs one at /services/applications; staff review at /admin/applications",
    ],
  };
}

/** Writes the town's signer to `dir` unless one is there; true when it wrote one. */
export async function ensureTownSigner(
  ctx: Pick<TDemoServiceContext, "prisma" | "partnerCa">,
  dir: string,
): Promise<boolean> {
  if (!(await hasTownSigner(dir))) {
    const town = await ctx.prisma.partner.findUniqueOrThrow({ where: { slug: TOWN_SLUG } });
    const keys = await generateRsaKeyPair();
    const now = Date.now();
    const certificate = await issueOrganizationCertificate({
      ca: ctx.partnerCa,
      subjectPublicKey: keys.publicKey,
      serialNumber: BigInt(now) * 1000n + 7n,
      organizationName: town.name,
      partnerSlug: town.slug,
      notBefore: new Date(now - 3_600_000),
      notAfter: new Date(now + 365 * 86_400_000),
    });
    await writeTownSigner(dir, {
      partnerSlug: town.slug,
      municipality: `${DEMO_PREFECTURE}${DEMO_TOWN}`,
      certificate,
      privateKey: keys.privateKey,
    });
    return true;
  }
  return false;
}
