/**
 * npm run jpki -- <command>: the simulated J-LIS from the command line (state in JLIS_DATA_DIR).
 *
 *   init [--generations 2] [--no-test-hierarchy] [--force]
 *   verifier --id <clientId> [--secret <s>]
 *   issue --resident <id> --name <姓　名> --address <住所> --dob YYYY-MM-DD --gender male|female|unknown
 *         --municipality <code> [--prefecture-romaji … --municipality-romaji …] [--out <card file>]
 *         [--auth-pin 1234] [--sign-pin ABC123] [--token card|android|iphone] [--test-hierarchy] [--consent]
 *         [--softhsm [--so-pin 12345678]]   also write the card into two SoftHSM2 tokens (auth, sign) of SOFTHSM2_CONF
 *   renew --resident <id> [--token …] [--out …] [--auth-pin …] [--sign-pin …]
 *   revoke --serial <hex> --reason <reason>
 *   lost --resident <id> [--token …]
 *   change-facts --resident <id> [--name …] [--address …] [--dob …] [--gender …] [--municipality <code> …] [--out …]
 *   death --resident <id>
 *   consent --resident <id> [--withdraw]
 *   status --serial <hex>
 *   publish-crls
 *   partner-revoke --serial <hex> [--reason keyCompromise|affiliationChanged|superseded|cessationOfOperation|unspecified]
 *   partner-crl                  re-sign and print the simulated partner CA's CRL (PARTNER_CA_DIR)
 *   serve [--port 4010] [--crl-interval-ms 86400000]
 *   inspect <certificate file (DER or PEM)>
 *
 * Virtual cards are written with the card agent's writeVirtualCard. A real J-LIS never holds a
 * holder's private keys; this simulator's CLI keeps a copy of the virtual card's keys and PINs in
 * JLIS_DATA_DIR/cards/ (development only) so that a later change of facts can rewrite the card.
 */
import { existsSync, promises as fs } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { writeVirtualCard } from "../card-agent/tokens/virtual-card";
import { env, resolveDataPath } from "../lib/env";
import { AppError } from "../lib/errors/app-error";
import { JPKI_REVOCATION_REASONS } from "../lib/jpki/revocation-reason";
import { RSA_SHA256 } from "../jlis-sim/ca/ca";
import type { RevocationReason } from "../jlis-sim/ca/crl";
import { describeJpkiCertificate, formatJpkiDescription } from "../jlis-sim/ca/describe-certificate";
import { createJlisHandler } from "../jlis-sim/http/http";
import { type IssuedCredential, type IssuedToken, SimulatedJlis } from "../jlis-sim/jlis";
import { findMunicipality } from "../jlis-sim/municipalities";
import { TOKEN_LABELS, type TokenType } from "../jlis-sim/ca/profiles";
import { startJlisServer } from "../jlis-sim/http/server";
import { DirectoryJlisStore, type TMunicipality } from "../jlis-sim/store";

const DEFAULT_VERIFIER = "ichimai-portal";
const dataDir = resolveDataPath(env().JLIS_DATA_DIR);
const store = new DirectoryJlisStore(dataDir);

const ZToken = z.enum(["card", "android", "iphone"]);
const ZReason = z.enum(JPKI_REVOCATION_REASONS);

const OPTIONS = {
  resident: { type: "string" },
  name: { type: "string" },
  address: { type: "string" },
  dob: { type: "string" },
  gender: { type: "string" },
  municipality: { type: "string" },
  "prefecture-romaji": { type: "string" },
  "municipality-romaji": { type: "string" },
  out: { type: "string" },
  "auth-pin": { type: "string" },
  "sign-pin": { type: "string" },
  token: { type: "string" },
  "test-hierarchy": { type: "boolean" },
  consent: { type: "boolean" },
  softhsm: { type: "boolean" },
  "so-pin": { type: "string" },
  withdraw: { type: "boolean" },
  serial: { type: "string" },
  reason: { type: "string" },
  id: { type: "string" },
  secret: { type: "string" },
  generations: { type: "string" },
  "no-test-hierarchy": { type: "boolean" },
  force: { type: "boolean" },
  port: { type: "string" },
  "crl-interval-ms": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

type Args = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>["values"];

function required(args: Args, key: keyof Args): string {
  const v = args[key];
  if (typeof v !== "string" || v === "") throw new AppError("VALIDATION_FAILED", { message: `--${key} is required.` });
  return v;
}

function tokenOf(args: Args): TokenType {
  return ZToken.parse(args.token ?? "card");
}

function municipalityOf(args: Args): TMunicipality {
  const code = required(args, "municipality");
  const known = findMunicipality(code);
  const prefectureRomaji = args["prefecture-romaji"] ?? known?.prefectureRomaji;
  const municipalityRomaji = args["municipality-romaji"] ?? known?.municipalityRomaji;
  if (!prefectureRomaji || !municipalityRomaji) {
    throw new AppError("VALIDATION_FAILED", {
      message: `Municipality ${code} is not built in: pass --prefecture-romaji and --municipality-romaji.`,
    });
  }
  return { code, prefectureRomaji, municipalityRomaji };
}

// --- the CLI's key copy of each virtual card (see the header) ----------------------------------

const ZSlotCopy = z.object({
  privateKey: z.base64(),
  certificate: z.base64(),
  caCertificate: z.base64(),
  pin: z.string(),
});
const ZCardCopy = z.object({
  residentRef: z.string(),
  tokenType: ZToken,
  out: z.string(),
  auth: ZSlotCopy,
  sign: ZSlotCopy.optional(),
});
type TCardCopy = z.infer<typeof ZCardCopy>;
type TSlotCopy = z.infer<typeof ZSlotCopy>;

const copyPath = (resident: string, token: TokenType) =>
  path.join(dataDir, "cards", `${encodeURIComponent(resident)}.${token}.json`);

async function slotCopy(c: IssuedCredential, pin: string): Promise<TSlotCopy> {
  const pkcs8 = new Uint8Array(await globalThis.crypto.subtle.exportKey("pkcs8", c.privateKey));
  return {
    privateKey: Buffer.from(pkcs8).toString("base64"),
    certificate: Buffer.from(c.certificate).toString("base64"),
    caCertificate: Buffer.from(c.caCertificate).toString("base64"),
    pin,
  };
}

async function readCardCopy(resident: string, token: TokenType): Promise<TCardCopy | undefined> {
  try {
    return ZCardCopy.parse(JSON.parse(await fs.readFile(copyPath(resident, token), "utf8")));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}

async function slotInput(s: TSlotCopy) {
  return {
    certificate: new Uint8Array(Buffer.from(s.certificate, "base64")),
    caCertificate: new Uint8Array(Buffer.from(s.caCertificate, "base64")),
    privateKey: await globalThis.crypto.subtle.importKey(
      "pkcs8",
      new Uint8Array(Buffer.from(s.privateKey, "base64")),
      RSA_SHA256,
      true,
      ["sign"],
    ),
    pin: s.pin,
  };
}

/** Write the virtual card file and the CLI's copy of it. */
async function writeCard(copy: TCardCopy): Promise<void> {
  await writeVirtualCard(copy.out, {
    label: TOKEN_LABELS[copy.tokenType],
    tokenType: copy.tokenType,
    holderRef: copy.residentRef,
    auth: await slotInput(copy.auth),
    sign: copy.sign ? await slotInput(copy.sign) : undefined,
  });
  await fs.mkdir(path.dirname(copyPath(copy.residentRef, copy.tokenType)), { recursive: true });
  await fs.writeFile(copyPath(copy.residentRef, copy.tokenType), `${JSON.stringify(copy, null, 1)}\n`, {
    mode: 0o600,
  });
}

function defaultOut(resident: string, token: TokenType): string {
  return path.join(resolveDataPath(env().CARD_AGENT_CARDS_DIR), `${resident}-${token}.json`);
}

async function writeIssued(token: IssuedToken, args: Args, previous?: TCardCopy): Promise<string> {
  const out = path.resolve(args.out ?? previous?.out ?? defaultOut(token.residentRef, token.tokenType));
  const authPin = args["auth-pin"] ?? previous?.auth.pin ?? "1234";
  const signPin = args["sign-pin"] ?? previous?.sign?.pin ?? "ABC123";
  await writeCard({
    residentRef: token.residentRef,
    tokenType: token.tokenType,
    out,
    auth: await slotCopy(token.auth, authPin),
    sign: token.sign ? await slotCopy(token.sign, signPin) : undefined,
  });
  return out;
}

/** The same card in a real PKCS#11 token: two SoftHSM2 tokens, like OpenSC's two JPKI slots. */
async function writeSoftHsm(token: IssuedToken, args: Args): Promise<void> {
  const { SOFTHSM_LIBRARY, provisionSoftHsmCard } = await import("../card-agent/tokens/softhsm-provision");
  if (!existsSync(SOFTHSM_LIBRARY)) {
    throw new AppError("VALIDATION_FAILED", {
      message: `SoftHSM2 is not installed (${SOFTHSM_LIBRARY} missing). Fix: apt-get install softhsm2, or leave out --softhsm.`,
    });
  }
  const written = await provisionSoftHsmCard({
    soPin: args["so-pin"] ?? "12345678",
    auth: { ...token.auth, pin: args["auth-pin"] ?? "1234" },
    sign: token.sign ? { ...token.sign, pin: args["sign-pin"] ?? "ABC123" } : undefined,
  });
  console.log(`  SoftHSM2 tokens: auth "${written.auth.label}" (${written.auth.serial})`);
  if (written.sign) console.log(`                   sign "${written.sign.label}" (${written.sign.serial})`);
}

function printToken(token: IssuedToken, out: string): void {
  console.log(`${token.tokenType} token ${token.label} for ${token.residentRef} → ${out}`);
  console.log(`  利用者証明用 / auth serial: ${token.auth.serial}`);
  console.log(`  署名用 / sign serial:       ${token.sign?.serial ?? "— (under 15: no signing certificate)"}`);
  printRevoked(token.revoked);
}

function printRevoked(revoked: { serial: string; purpose: string; tokenType: string; reason: RevocationReason }[]) {
  for (const r of revoked) console.log(`  revoked ${r.purpose} ${r.serial} (${r.tokenType}): ${r.reason}`);
}

async function readCertificateFile(file: string): Promise<Uint8Array> {
  const raw = await fs.readFile(file);
  const text = raw.toString("latin1");
  const pem = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(text);
  return new Uint8Array(pem ? Buffer.from(pem[1]!.replace(/\s+/g, ""), "base64") : raw);
}

// --- commands -----------------------------------------------------------------------------------

async function run(command: string | undefined, args: Args, positionals: string[]): Promise<void> {
  switch (command) {
    case "init": {
      if (!args.force && (await store.load())) {
        throw new AppError("VALIDATION_FAILED", { message: `${dataDir} is already initialized (use --force).` });
      }
      const jlis = await SimulatedJlis.initialize(store, {
        generations: Number(args.generations ?? "2"),
        testHierarchy: !args["no-test-hierarchy"],
      });
      const secret = await jlis.registerVerifier(DEFAULT_VERIFIER);
      const credentials = path.join(dataDir, "verifier-credentials.json");
      await fs.writeFile(credentials, `${JSON.stringify({ clientId: DEFAULT_VERIFIER, secret }, null, 2)}\n`, {
        mode: 0o600,
      });
      console.log(`Simulated J-LIS initialized in ${dataDir}`);
      for (const ca of jlis.cas()) console.log(`  root ${ca.hierarchy} ${ca.purpose} generation ${ca.generation}`);
      console.log(`  trust anchors: ${path.join(dataDir, "ca")}/*.cer`);
      console.log(`  verifier ${DEFAULT_VERIFIER}: credentials in ${credentials}`);
      return;
    }
    case "verifier": {
      const jlis = await SimulatedJlis.open(store);
      const secret = await jlis.registerVerifier(required(args, "id"), args.secret);
      console.log(`verifier ${args.id}: secret ${secret}`);
      return;
    }
    case "issue": {
      const jlis = await SimulatedJlis.open(store);
      const tokenType = tokenOf(args);
      const residentRef = required(args, "resident");
      const token = await jlis.issueCard({
        residentRef,
        facts: {
          name: required(args, "name"),
          address: required(args, "address"),
          dateOfBirth: required(args, "dob"),
          gender: z.enum(["male", "female", "unknown"]).parse(required(args, "gender")),
        },
        municipality: municipalityOf(args),
        tokenType,
        hierarchy: args["test-hierarchy"] ? "test" : "production",
      });
      if (args.consent) await jlis.setConsent({ residentRef, consent: true });
      printToken(token, await writeIssued(token, args));
      if (args.softhsm) await writeSoftHsm(token, args);
      return;
    }
    case "renew": {
      const jlis = await SimulatedJlis.open(store);
      const tokenType = tokenOf(args);
      const residentRef = required(args, "resident");
      const token = await jlis.renew({ residentRef, tokenType });
      printToken(token, await writeIssued(token, args, await readCardCopy(residentRef, tokenType)));
      return;
    }
    case "revoke": {
      const jlis = await SimulatedJlis.open(store);
      const { revoked } = await jlis.revoke({
        serialHex: required(args, "serial"),
        reason: ZReason.parse(required(args, "reason")),
      });
      printRevoked(revoked);
      return;
    }
    case "lost": {
      const jlis = await SimulatedJlis.open(store);
      printRevoked(
        (await jlis.reportLost({ residentRef: required(args, "resident"), tokenType: tokenOf(args) })).revoked,
      );
      return;
    }
    case "change-facts": {
      const jlis = await SimulatedJlis.open(store);
      const residentRef = required(args, "resident");
      const tokenType = tokenOf(args);
      const facts = {
        ...(args.name ? { name: args.name } : {}),
        ...(args.address ? { address: args.address } : {}),
        ...(args.dob ? { dateOfBirth: args.dob } : {}),
        ...(args.gender ? { gender: z.enum(["male", "female", "unknown"]).parse(args.gender) } : {}),
      };
      const result = await jlis.changeFacts({
        residentRef,
        facts,
        municipality: args.municipality ? municipalityOf(args) : undefined,
        reissueFor: tokenType,
      });
      printRevoked(result.revoked);
      const copy = await readCardCopy(residentRef, tokenType);
      if (result.sign && copy) {
        const out = path.resolve(args.out ?? copy.out);
        await writeCard({
          ...copy,
          out,
          sign: await slotCopy(result.sign, args["sign-pin"] ?? copy.sign?.pin ?? "ABC123"),
        });
        console.log(`  new sign serial ${result.sign.serial}; card rewritten → ${out}`);
      } else if (result.sign) {
        console.log(`  new sign serial ${result.sign.serial}; no CLI copy of this card, so no card file was written`);
      }
      return;
    }
    case "death": {
      const jlis = await SimulatedJlis.open(store);
      printRevoked((await jlis.death({ residentRef: required(args, "resident") })).revoked);
      return;
    }
    case "consent": {
      const jlis = await SimulatedJlis.open(store);
      await jlis.setConsent({ residentRef: required(args, "resident"), consent: !args.withdraw });
      console.log(`consent to share the latest four facts: ${args.withdraw ? "withdrawn" : "given"}`);
      return;
    }
    case "status": {
      const jlis = await SimulatedJlis.open(store);
      const s = jlis.status(required(args, "serial"));
      if (s.status === "unknown") console.log("unknown");
      else console.log(JSON.stringify({ status: s.status, ...s.record, certificate: undefined }, null, 2));
      return;
    }
    case "publish-crls": {
      const jlis = await SimulatedJlis.open(store);
      for (const crl of await jlis.publishCrls()) {
        console.log(
          `crl/${crl.scopeId}  #${crl.crlNumber}  ${crl.der.length} bytes  next ${crl.nextUpdate.toISOString()}`,
        );
      }
      return;
    }
    case "partner-revoke":
    case "partner-crl": {
      const { ORGANIZATION_REVOCATION_REASONS, publishPartnerCrl, revokeOrganizationCertificate } = await import(
        "../jlis-sim/partner-ca/partner-ca"
      );
      const dir = resolveDataPath(env().PARTNER_CA_DIR);
      let der: Uint8Array;
      if (command === "partner-revoke") {
        const serial = z
          .string()
          .regex(/^[0-9a-fA-F]{1,40}$/, "--serial is the certificate serial in hex")
          .parse(args.serial);
        const reason = z.enum(ORGANIZATION_REVOCATION_REASONS).parse(args.reason ?? "keyCompromise");
        der = await revokeOrganizationCertificate(dir, { serialNumber: BigInt(`0x${serial}`), reason });
        console.log(`revoked organisation certificate ${serial.toLowerCase()} (${reason})`);
      } else {
        der = await publishPartnerCrl(dir);
      }
      const { parseCrl } = await import("../lib/jpki/crl");
      const crl = parseCrl(der);
      console.log(
        `${path.join(dir, "partner-ca.crl")}  #${crl.crlNumber}  ${der.length} bytes  next ${crl.nextUpdate?.toISOString()}`,
      );
      return;
    }
    case "serve": {
      const jlis = await SimulatedJlis.open(store);
      const handler = createJlisHandler(jlis, {
        verifierCredentials: ({ clientId, secret }) => jlis.checkVerifier(clientId, secret),
      });
      const server = await startJlisServer(handler, { port: Number(args.port ?? "4010") });
      jlis.startCrlSchedule(Number(args["crl-interval-ms"] ?? String(24 * 3600 * 1000)), (e) => console.error(e));
      console.log(`Simulated J-LIS on ${server.url}/jlis (Ctrl-C to stop)`);
      await new Promise<void>((resolve) => process.once("SIGINT", () => resolve()));
      jlis.stopCrlSchedule();
      await server.close();
      return;
    }
    case "inspect": {
      const file = positionals[0];
      if (!file) throw new AppError("VALIDATION_FAILED", { message: "inspect <certificate file>" });
      const roots = (await store.load())
        ? (await SimulatedJlis.open(store)).cas().map((ca) => ({
            label: `${ca.hierarchy} ${ca.purpose}`,
            generation: ca.generation,
            certificate: ca.certificate,
          }))
        : [];
      for (const line of formatJpkiDescription(await describeJpkiCertificate(await readCertificateFile(file), roots))) {
        console.log(line);
      }
      return;
    }
    default:
      console.log(
        (await fs.readFile(new URL(import.meta.url), "utf8")).split("*/")[0]!.replace(/^\/\*\*|^ \* ?/gm, ""),
      );
      if (command !== undefined && !args.help) process.exitCode = 2;
  }
}

const { values, positionals } = parseArgs({ options: OPTIONS, allowPositionals: true, strict: true });
const [command, ...rest] = positionals;
try {
  await run(values.help ? undefined : command, values, rest);
} catch (e) {
  if (e instanceof AppError) {
    console.error(`error ${e.code}: ${e.message}`);
  } else if (e instanceof z.ZodError) {
    console.error(`error VALIDATION_FAILED: ${e.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`);
  } else {
    console.error(e);
  }
  process.exitCode = 1;
}
