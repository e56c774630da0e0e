/**
 * npm run sandbox -- <command>: the partner sandbox (scripts/sandbox) from the command line.
 * Build against the verification platform without a card reader: synthetic residents with
 * virtual cards, and a signer that uses those cards like a resident's card would.
 *
 *   residents                                         list the sandbox residents (created with their
 *                                                     virtual cards in CARD_AGENT_CARDS_DIR if missing)
 *   sign --resident <id> --in <application file> [--out app.p7s] [--detached] [--base64]
 *                                                     CMS SignedData (CAdES-BES) with the signing key,
 *                                                     what POST /api/v1/identity-verifications takes
 *   tap --resident <id> --challenge <nonce b64> [--origin <portal origin>]
 *                                                     the Web eID token a terminal's card tap makes for
 *                                                     POST /api/v1/eligibility/checks
 *   terminal --partner <slug> --label <name> --mode hospital|bus|ambulance
 *                                                     register a TEST kiosk device (sandbox cards
 *                                                     only); prints its one-time
 *                                                     enrolment URL (/terminal/enrol?code=…)
 *
 * State: the database (DATABASE_URL or the embedded one; stop `npm run dev` first when it uses the
 * embedded database), the simulated J-LIS in JLIS_DATA_DIR, cards in CARD_AGENT_CARDS_DIR.
 * Refuses NODE_ENV=production: the sandbox PINs are published.
 */
import { promises as fs } from "node:fs";
import { parseArgs } from "node:util";
import { MIGRATIONS_DIR } from "../lib/db/connection";
import { startEmbeddedPostgres } from "../lib/db/embedded";
import { migrate } from "../lib/db/migrate";
import { EnvError, env, resolveDataPath } from "../lib/env";
import { AppError } from "../lib/errors/app-error";
import { createRuntime } from "../lib/runtime/runtime";
import { SimulatedJlis } from "../jlis-sim/jlis";
import { DirectoryJlisStore } from "../jlis-sim/store";
import { ensureSandboxResidents, sandboxResidentOrThrow, sandboxSign, sandboxTap } from "./sandbox/sandbox";
import { registerTerminalDevice, ZTerminalMode } from "../lib/platform/terminals/register-terminal-device";

const USAGE =
  "Usage: npm run sandbox -- residents | sign --resident <id> --in <file> [--out <file>] [--detached] [--base64] | tap --resident <id> --challenge <b64> [--origin <url>] | terminal --partner <slug> --label <name> --mode hospital|bus|ambulance";

function need(value: string | undefined, flag: string): string {
  if (!value) throw new AppError("VALIDATION_FAILED", { message: `${flag} is required. ${USAGE}` });
  return value;
}

async function main(): Promise<void> {
  const config = env();
  if (config.NODE_ENV === "production") throw new EnvError("The sandbox is refused with NODE_ENV=production.");
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({
    args: rest,
    options: {
      resident: { type: "string" },
      in: { type: "string" },
      out: { type: "string" },
      detached: { type: "boolean", default: false },
      base64: { type: "boolean", default: false },
      challenge: { type: "string" },
      origin: { type: "string" },
      partner: { type: "string" },
      label: { type: "string" },
      mode: { type: "string" },
    },
  });
  if (!command || !["residents", "sign", "tap", "terminal"].includes(command)) {
    console.error(USAGE);
    process.exit(2);
  }
  const embedded = config.DATABASE_URL
    ? null
    : await startEmbeddedPostgres({ dataDir: resolveDataPath(config.EMBEDDED_PG_DIR), port: config.EMBEDDED_PG_PORT });
  const url = config.DATABASE_URL ?? embedded!.url;
  // This command's runtime (lib/runtime) on the database it started or reached.
  const runtime = createRuntime({ config, database: async () => ({ url, embedded: embedded !== null }) });
  try {
    const prisma = await runtime.db();
    await migrate(url, MIGRATIONS_DIR);
    if (command === "terminal") {
      const parsed = ZTerminalMode.safeParse(need(values.mode, "--mode").toUpperCase());
      if (!parsed.success) {
        throw new AppError("VALIDATION_FAILED", { message: `--mode must be hospital, bus or ambulance. ${USAGE}` });
      }
      const mode = parsed.data;
      const reg = await registerTerminalDevice(prisma, {
        partner: need(values.partner, "--partner"),
        label: need(values.label, "--label"),
        mode,
        // A sandbox kiosk checks sandbox cards (JPKI-TEST) only, like a TEST API key.
        credentialMode: "TEST",
      });
      const origin = new URL(config.PORTAL_ORIGIN).origin;
      console.log(
        `Terminal ${values.label} (${mode}) registered as a TEST (sandbox) kiosk for ${values.partner}; device ${reg.deviceId}.`,
      );
      console.log(`Open on the kiosk once, before ${reg.expiresAt.toISOString()}:`);
      console.log(`  ${origin}/terminal/enrol?code=${reg.enrolmentCode}`);
      return;
    }
    const store = new DirectoryJlisStore(resolveDataPath(config.JLIS_DATA_DIR));
    const jlis = (await store.load()) ? await SimulatedJlis.open(store) : await SimulatedJlis.initialize(store);
    const residents = await ensureSandboxResidents(prisma, {
      jlis,
      cardsDir: resolveDataPath(config.CARD_AGENT_CARDS_DIR),
    });
    if (command === "residents") {
      console.log(
        `Sandbox residents (synthetic; PINs: auth ${residents[0]?.pins.auth}, sign ${residents[0]?.pins.sign}):`,
      );
      for (const r of residents) console.log(`  ${r.id}  ${r.name.padEnd(8)} ${r.registryNumber}  ${r.cardFile}`);
      return;
    }
    const resident = sandboxResidentOrThrow(residents, need(values.resident, "--resident"));
    if (command === "sign") {
      const content = new Uint8Array(await fs.readFile(need(values.in, "--in")));
      const der = await sandboxSign({ cardFile: resident.cardFile, content, detached: values.detached });
      const output = values.base64 ? Buffer.from(der).toString("base64") : Buffer.from(der);
      if (values.out) {
        await fs.writeFile(values.out, output);
        console.error(`Signed by ${resident.id} (${values.detached ? "detached" : "attached"}) → ${values.out}`);
      } else process.stdout.write(values.base64 ? `${output}\n` : output);
      return;
    }
    const token = await sandboxTap({
      cardFile: resident.cardFile,
      nonce: need(values.challenge, "--challenge"),
      origin: values.origin ?? new URL(config.PORTAL_ORIGIN).origin,
    });
    console.log(token);
  } finally {
    await runtime.close();
    await embedded?.stop();
  }
}

main().catch((e: unknown) => {
  if (e instanceof AppError || e instanceof EnvError) console.error(`✖ ${e.message}`);
  else console.error(e);
  process.exit(1);
});
