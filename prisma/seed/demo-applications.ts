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
import { hasTownSigner, writeTownSigner } from "../../lib/services/applications/town-signer";
import { organisationSigner } from "./demo-documents";
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
  if (await hasTownSigner(dir)) return false;
  const town = await ctx.prisma.partner.findUniqueOrThrow({ where: { slug: TOWN_SLUG } });
  await writeTownSigner(dir, {
    partnerSlug: town.slug,
    municipality: `${DEMO_PREFECTURE}${DEMO_TOWN}`,
    ...(await organisationSigner(ctx.partnerCa, town)),
  });
  return true;
}
