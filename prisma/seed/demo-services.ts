/**
 * The service areas' demo data for `npm run dev` (links, applications, hospital, bus, emergency …):
 * each area adds one seeder to DEMO_SERVICE_SEEDERS. A seeder is idempotent (a restart creates
 * nothing new), builds documents about a resident from that resident's own registry record, and
 * returns the kiosks it enrolled and the lines the dev banner prints.
 */
import type { PrismaClient } from "../../lib/db/client";
import type { TPartnerCa } from "../../jlis-sim/partner-ca/partner-ca";
import type { TDemoCardPick } from "./demo-cards";
import { seedDemoEmergency } from "./demo-emergency";
import type { TDemoMunicipality } from "./demo";
import { seedDemoLinks } from "./demo-links";
import type { TDemoTerminal } from "./demo-terminals";
import { seedDemoBus } from "./demo-bus";
import { seedDemoApplications } from "./demo-applications";
import { seedDemoHospital } from "./demo-hospital";
import { seedDemoShelters } from "./demo-shelters";
import { seedDemoSigning } from "./demo-signing";
import { seedDemoReports } from "./demo-reports";
import { seedDemoTv } from "./demo-tv";
import { seedDemoOidc } from "./demo-oidc";

export type TDemoServiceContext = {
  prisma: PrismaClient;
  town: TDemoMunicipality;
  /** The residents holding a demo card (bind: they have logged in before). */
  cardHolders: readonly TDemoCardPick[];
  partnerCa: TPartnerCa;
};

export type TDemoServiceSeed = { terminals: TDemoTerminal[]; lines: string[] };

export type TDemoServiceSeeder = (ctx: TDemoServiceContext) => Promise<TDemoServiceSeed>;

/** One entry per service area, in the order they seed. */
export const DEMO_SERVICE_SEEDERS: readonly TDemoServiceSeeder[] = [
  seedDemoLinks,
  seedDemoApplications,
  seedDemoHospital,
  seedDemoBus,
  seedDemoEmergency,
  seedDemoSigning,
  seedDemoShelters,
  seedDemoReports,
  seedDemoTv,
  seedDemoOidc,
];

export async function seedDemoServices(ctx: TDemoServiceContext): Promise<TDemoServiceSeed> {
  const out: TDemoServiceSeed = { terminals: [], lines: [] };
  for (const seed of DEMO_SERVICE_SEEDERS) {
    const r = await seed(ctx);
    out.terminals.push(...r.terminals);
    out.lines.push(...r.lines);
  }
  return out;
}
