/**
 * npm run agent                         — run the card agent (HTTPS/WSS on 127.0.0.1:CARD_AGENT_PORT)
 * npm run agent -- trust                — add the agent's local CA to NSS (Chromium/Chrome/Firefox on Linux)
 * npm run agent -- approvals list       — list paired sites (origin + client key)
 * npm run agent -- approvals revoke <id>
 */
import "reflect-metadata";
import path from "node:path";
import { EnvError, env, resolveDataPath } from "../lib/env";
import { ApprovalStore } from "./approval-store";
import type { TAgentOptions } from "./context";
import { startAgent } from "./server";
import { ensureAgentTls } from "./tls";
import { PinCounterStore } from "./tokens/pin-counter";
import { Pkcs11Backend } from "./tokens/pkcs11-backend";
import { SoftBackend } from "./tokens/soft-backend";
import type { TTokenBackend } from "./tokens/token";
import { trustAgentCa } from "./trust";

/** Agent options from the validated environment (lib/env.ts). */
export function agentOptionsFromEnv(
  config = env(),
  log = (m: string) => console.log(`[card-agent] ${m}`),
): TAgentOptions {
  if (config.CARD_AGENT_TEST_MODE && config.NODE_ENV === "production") {
    // Test mode auto-approves pairing and types PINs for the user: never in a production build.
    throw new EnvError("CARD_AGENT_TEST_MODE=1 is refused when NODE_ENV=production.");
  }
  const dataDir = resolveDataPath(config.CARD_AGENT_DIR);
  const backends: TTokenBackend[] = [];
  if (config.CARD_AGENT_SOFT) backends.push(new SoftBackend(resolveDataPath(config.CARD_AGENT_CARDS_DIR), log));
  if (config.CARD_AGENT_PKCS11_LIBRARY) {
    backends.push(
      new Pkcs11Backend(
        config.CARD_AGENT_PKCS11_LIBRARY,
        new PinCounterStore(path.join(dataDir, "pin-counters.json")),
        log,
      ),
    );
  }
  return {
    host: "127.0.0.1",
    port: config.CARD_AGENT_PORT,
    dataDir,
    allowedOrigins: config.CARD_AGENT_ALLOWED_ORIGINS,
    testMode: config.CARD_AGENT_TEST_MODE,
    testPins: {
      any: config.CARD_AGENT_TEST_PIN,
      auth: config.CARD_AGENT_TEST_AUTH_PIN,
      sign: config.CARD_AGENT_TEST_SIGN_PIN,
    },
    uiMode: config.CARD_AGENT_UI,
    backends,
    log,
  };
}

async function main(argv: string[]): Promise<number> {
  let config: ReturnType<typeof env>;
  try {
    config = env();
  } catch (e) {
    if (e instanceof EnvError) {
      console.error(e.message);
      return 1;
    }
    throw e;
  }
  const dataDir = resolveDataPath(config.CARD_AGENT_DIR);
  const [cmd, sub, arg] = argv;
  if (cmd === "trust") {
    const tls = await ensureAgentTls(dataDir);
    return trustAgentCa(tls.caPath);
  }
  if (cmd === "approvals") {
    const store = new ApprovalStore(path.join(dataDir, "approvals.json"));
    if (sub === "list" || sub === undefined) {
      const all = await store.list();
      if (!all.length) console.log("No paired sites.");
      for (const a of all) {
        console.log(
          `${a.id}  ${a.origin}  key ${a.clientKeyId.slice(0, 16)}…  ${a.approvedAt}  (${a.how})  ${a.userAgent ?? ""}`,
        );
      }
      return 0;
    }
    if (sub === "revoke" && arg) {
      const ok = await store.revoke(arg);
      console.log(ok ? `Revoked ${arg}.` : `No approval with id ${arg}.`);
      return ok ? 0 : 1;
    }
    console.error("Usage: npm run agent -- approvals list | approvals revoke <id>");
    return 2;
  }
  if (cmd !== undefined && cmd !== "run") {
    console.error("Usage: npm run agent [-- run | trust | approvals list | approvals revoke <id>]");
    return 2;
  }
  let options: TAgentOptions;
  try {
    options = agentOptionsFromEnv(config);
  } catch (e) {
    if (e instanceof EnvError) {
      console.error(e.message);
      return 1;
    }
    throw e;
  }
  if (!options.backends.length)
    console.warn("[card-agent] No token back-end enabled (CARD_AGENT_SOFT=0 and no CARD_AGENT_PKCS11_LIBRARY).");
  let agent: Awaited<ReturnType<typeof startAgent>>;
  try {
    agent = await startAgent(options);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EADDRINUSE") {
      console.error(
        `Port ${options.port} is in use — is Fortify or another card agent running? Quit it, or set CARD_AGENT_PORT (the page must then connect to that port).`,
      );
      return 1;
    }
    throw e;
  }
  console.log(`[card-agent] Allowed origins: ${options.allowedOrigins.join(", ")}`);
  console.log(
    `[card-agent] Pairing requests and PIN entry: ${agent.url}/ui  (trust the CA first: npm run agent -- trust)`,
  );
  const stop = () => {
    void agent.close().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  return new Promise<number>(() => undefined);
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename);
if (isMain) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
