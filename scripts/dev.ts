/**
 * npm run dev — the portal with demo data and virtual cards to log in with:
 *   validate configuration → start/reuse PostgreSQL and migrate → seed the demo municipality →
 *   initialise the simulated J-LIS and issue demo cards → start the card agent → `next dev`.
 * Every failure is one sentence with the fix, never only a stack trace.
 */
import "reflect-metadata";
import { type ChildProcess, spawn } from "node:child_process";
import net from "node:net";
import { agentOptionsFromEnv } from "../card-agent/main";
import { startAgent } from "../card-agent/server";
import { issueDemoCard } from "../jlis-sim/demo-cards";
import type { PrismaClient } from "../lib/db/client";
import { EnvError, env, resolveDataPath, type TEnv } from "../lib/env";
import { AppError } from "../lib/errors/app-error";
import { startBackgroundJobs } from "../lib/jobs/start-background-jobs";
import { getRuntime } from "../lib/runtime/runtime";
import { SimulatedJlis } from "../jlis-sim/jlis";
import { openPartnerCa } from "../jlis-sim/partner-ca/partner-ca";
import { DirectoryJlisStore } from "../jlis-sim/store";
import { DEMO_PINS, demoCardFileName, pickDemoCardHolders } from "../prisma/seed/demo-cards";
import { DEMO_PARTNER_PASSWORD } from "../prisma/seed/factories";
import { seedDemoMunicipality, writeDemoCredentials } from "../prisma/seed/demo";
import { seedDemoDocuments } from "../prisma/seed/demo-documents";
import { seedDemoServices } from "../prisma/seed/demo-services";
import { demoTerminalLines } from "../prisma/seed/demo-terminals";
import { demoOidcClientSecrets } from "../prisma/seed/demo-oidc";
import { startDemoRp } from "../partner-sim/sso-rp/rp";
import { DEMO_RPS, demoRpPort, type TDemoRpKey } from "../partner-sim/sso-rp/demo-rps";

const children: ChildProcess[] = [];

function fail(message: string): never {
  console.error(`\n✖ ${message}\n`);
  for (const c of children) c.kill("SIGTERM");
  process.exit(1);
}

function portFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

async function main() {
  let config: TEnv;
  try {
    config = env();
  } catch (e) {
    if (e instanceof EnvError) fail(e.message);
    throw e;
  }
  const portalPort = Number(new URL(config.PORTAL_ORIGIN).port || 3000);
  if (!(await portFree(portalPort))) {
    fail(
      `Port ${portalPort} is already in use. Stop the program using it (lsof -i :${portalPort}) or set PORTAL_ORIGIN to another port, e.g. PORTAL_ORIGIN=http://localhost:3001.`,
    );
  }

  // The process's runtime (lib/runtime): the database here, then the background jobs below.
  const runtime = getRuntime();
  const t0 = performance.now();
  console.log(
    config.DATABASE_URL
      ? "Connecting to PostgreSQL (DATABASE_URL)…"
      : `Starting embedded PostgreSQL in ${config.EMBEDDED_PG_DIR}…`,
  );
  try {
    await runtime.database();
  } catch (e) {
    if (e instanceof AppError) fail(e.message);
    throw e;
  }
  console.log(`Database ready and migrated in ${Math.round(performance.now() - t0)} ms.`);

  const { cards, services } = await prepareDemo(config, await runtime.db());

  if (!(await portFree(config.CARD_AGENT_PORT))) {
    fail(
      `Port ${config.CARD_AGENT_PORT} (card agent) is already in use — is Fortify or another agent running? Quit it, or set CARD_AGENT_PORT to another port.`,
    );
  }
  const agentOptions = agentOptionsFromEnv(config);
  // The portal being started is always an allowed origin of its own agent.
  const portalOrigin = new URL(config.PORTAL_ORIGIN).origin;
  if (!agentOptions.allowedOrigins.includes(portalOrigin)) agentOptions.allowedOrigins.push(portalOrigin);
  const agent = await startAgent(agentOptions);
  // Change-verification checks, webhook deliveries, e-mail (what `npm run jobs` runs in production).
  await startBackgroundJobs(runtime).catch((e: unknown) => {
    console.error(`[jobs] not started: ${(e as Error).message}`);
  });

  // Single sign-on: the two demo relying parties (seeded as OIDC clients by prisma/seed/demo-oidc.ts).
  const rpLines = await startDemoRps(config, await runtime.db(), portalPort);

  const next = spawn("./node_modules/.bin/next", ["dev", "-p", String(portalPort)], {
    stdio: "inherit",
    env: {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: "1",
      NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? config.PORTAL_ORIGIN,
    },
  });
  children.push(next);
  next.on("exit", (code) => process.exit(code ?? 0));
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.on(sig, () => {
      for (const c of children) c.kill(sig);
    });
  }
  console.log(`\n  一枚 ichimai portal → ${config.PORTAL_ORIGIN}`);
  console.log(`  card agent (PIN and pairing window) → ${agent.url}/ui`);
  console.log(
    "  First time: trust the agent's certificate (npm run agent -- trust, or open the agent URL once and accept it).",
  );
  console.log(`\n  Demo cards (user-authentication PIN ${DEMO_PINS.auth}, signing PIN ${DEMO_PINS.sign}):`);
  for (const c of cards)
    console.log(`    ${c.role.padEnd(12)} ${c.name}${c.bind ? "" : "  (first login: asks for signing consent)"}`);
  if (services.terminals.length > 0) {
    console.log("\n  Demo kiosks (open the URL once in the kiosk's browser to enrol it):");
    for (const line of demoTerminalLines(config.PORTAL_ORIGIN, services.terminals)) console.log(line);
  }
  for (const line of services.lines) console.log(line);
  for (const line of rpLines) console.log(line);
  console.log(
    `\n  Partner console → ${config.PORTAL_ORIGIN}/partner/login  (OWNER owner@<partner-slug>.example.jp, DEVELOPER dev@<partner-slug>.example.jp / ${DEMO_PARTNER_PASSWORD})`,
  );
  console.log("");
}

/** Starts the demo RPs of single sign-on on the ports beside the portal's; returns the banner lines. */
async function startDemoRps(config: TEnv, prisma: PrismaClient, portalPort: number): Promise<string[]> {
  const secrets = await demoOidcClientSecrets(prisma);
  const issuer = `${new URL(config.PORTAL_ORIGIN).origin}/oidc`;
  const lines = [`\n  Single sign-on demo services (log in with ichimai; issuer ${issuer}):`];
  for (const key of Object.keys(DEMO_RPS) as TDemoRpKey[]) {
    const port = demoRpPort(key, portalPort);
    if (!(await portFree(port))) {
      lines.push(`    ${DEMO_RPS[key].title}: port ${port} is in use — not started (free it and restart).`);
      continue;
    }
    const rp = await startDemoRp({ ...DEMO_RPS[key], issuer, clientSecret: secrets[key], port });
    lines.push(`    ${DEMO_RPS[key].title} (${DEMO_RPS[key].titleEn}) → ${rp.url}`);
  }
  return lines;
}

/** Seed the demo town, initialise the simulated J-LIS, and issue missing demo cards (on the runtime's client, which the jobs use next). */
async function prepareDemo(config: TEnv, prisma: PrismaClient) {
  const t0 = performance.now();
  try {
    const town = await seedDemoMunicipality(prisma);
    await writeDemoCredentials(town);
    const store = new DirectoryJlisStore(resolveDataPath(config.JLIS_DATA_DIR));
    const jlis = (await store.load()) ? await SimulatedJlis.open(store) : await SimulatedJlis.initialize(store);
    const cardsDir = resolveDataPath(config.CARD_AGENT_CARDS_DIR);
    const picks = pickDemoCardHolders(
      town.residents,
      town.staff.map((s) => s.residentId),
      town.staff.filter((s) => s.roles.includes("ADMIN")).map((s) => s.residentId),
      town.staff.filter((s) => s.roles.includes("DISASTER_OFFICER")).map((s) => s.residentId),
    );
    let issued = 0;
    for (const p of picks) {
      const resident = await prisma.resident.findUniqueOrThrow({ where: { id: p.id } });
      const { token } = await issueDemoCard({
        jlis,
        resident,
        cardsDir,
        fileName: demoCardFileName(p),
        displayName: `${p.name} (${p.role})`,
        authPin: DEMO_PINS.auth,
        signPin: DEMO_PINS.sign,
        bindWith: p.bind ? prisma : undefined,
      });
      if (token) issued++;
    }
    const partnerCa = await openPartnerCa(resolveDataPath(config.PARTNER_CA_DIR));
    const documents = await seedDemoDocuments(prisma, { partnerCa, recipients: picks.filter((p) => p.bind) });
    const services = await seedDemoServices({ prisma, town, cardHolders: picks, partnerCa });
    console.log(
      `Demo town ready: ${town.residents.length} residents, ${picks.length} virtual cards (${issued} issued now), ${documents} new sample documents in ${Math.round(performance.now() - t0)} ms.`,
    );
    console.log("Demo partner API credentials (LIVE mode): .data/demo-credentials.json");
    return { cards: picks, services };
  } catch (e) {
    if (e instanceof AppError) fail(`Preparing the demo data failed: ${e.message}`);
    throw e;
  }
}

void main();
