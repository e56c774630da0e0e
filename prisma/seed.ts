/**
 * npm run db:seed — load the demo municipality 一枚町 (prisma/seed/demo.ts) into the configured
 * database (DATABASE_URL, or the embedded PostgreSQL under .data/). Idempotent: a second run
 * creates nothing. Prints the demo partners' LIVE API credentials and writes them to
 * .data/demo-credentials.json (git-ignored). Refuses to run with NODE_ENV=production: the demo
 * secrets are fixed values written in this repository.
 */
import path from "node:path";
import { MIGRATIONS_DIR } from "../lib/db/connection";
import { createPrismaClient } from "../lib/db/client";
import { startEmbeddedPostgres } from "../lib/db/embedded";
import { migrate } from "../lib/db/migrate";
import { EnvError, env, resolveDataPath } from "../lib/env";
import { AppError } from "../lib/errors/app-error";
import { seedDemoMunicipality, writeDemoCredentials } from "./seed/demo";
import { DEMO_PARTNER_PASSWORD } from "./seed/factories";

async function main(): Promise<void> {
  const config = env();
  if (config.NODE_ENV === "production") {
    throw new EnvError("Refusing to seed demo data with NODE_ENV=production (the demo API secrets are public).");
  }
  const embedded = config.DATABASE_URL
    ? null
    : await startEmbeddedPostgres({ dataDir: resolveDataPath(config.EMBEDDED_PG_DIR), port: config.EMBEDDED_PG_PORT });
  const url = config.DATABASE_URL ?? embedded!.url;
  const prisma = createPrismaClient(url);
  try {
    await migrate(url, MIGRATIONS_DIR);
    const town = await seedDemoMunicipality(prisma);
    const c = town.created;
    const total = Object.values(c).reduce((s, n) => s + n, 0);
    console.log(
      `${town.municipality.prefecture}${town.municipality.name} (${town.municipality.code}): ` +
        `${town.districts.length} districts, ${town.residents.length} residents, ${town.staff.length} staff, ` +
        `${town.partners.length} partners.`,
    );
    console.log(
      total === 0
        ? "Already seeded: nothing changed."
        : `Created ${c.districts} districts, ${c.households} households, ${c.residents} residents, ${c.staff} staff, ${c.partners} partners, ${c.credentials} credentials.`,
    );
    console.log("\nStaff (log in with the resident's card):");
    for (const s of town.staff) {
      const r = town.residents.find((x) => x.id === s.residentId);
      console.log(
        `  ${s.employeeNumber}  ${s.roles.join("+").padEnd(18)} ${s.department}  ${r?.facts.name} (${r?.registryNumber})`,
      );
    }
    console.log("\nDemo partner API credentials (TEST mode; for this demo only):");
    for (const cr of town.credentials) {
      console.log(`  ${cr.partnerSlug.padEnd(17)} client_id=${cr.clientId}  client_secret=${cr.clientSecret}`);
    }
    console.log(`\nPartner console (/partner/login, password "${DEMO_PARTNER_PASSWORD}"; demo only):`);
    for (const u of town.partnerUsers) console.log(`  ${u.partnerSlug.padEnd(17)} ${u.email.padEnd(36)} ${u.role}`);
    const file = await writeDemoCredentials(town);
    console.log(`\nWritten to ${path.relative(process.cwd(), file)}.`);
  } finally {
    await prisma.$disconnect();
    await embedded?.stop();
  }
}

main().catch((e: unknown) => {
  if (e instanceof AppError || e instanceof EnvError) {
    console.error(`✖ ${e.message}`);
  } else {
    console.error(e);
  }
  process.exit(1);
});
