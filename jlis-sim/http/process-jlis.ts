/**
 * The process-wide simulated J-LIS behind the portal's /jlis route: loaded once from
 * JLIS_DATA_DIR (created with `npm run jpki -- init`), verifiers checked against its registry.
 * Outside production it registers the portal's development verifiers (DEV_VERIFIERS), so that
 * `npm run dev` needs no set-up step; production code only ever reaches it over HTTP.
 */
import path from "node:path";
import { env, resolveDataPath } from "@/lib/env";
import { DEMO_PINS } from "../../prisma/seed/demo-cards";
import { reissueSignOnVirtualCards } from "../demo-cards";
import { DEV_VERIFIERS } from "@/lib/jlis/service";
import { createJlisHandler } from "./http";
import { SimulatedJlis } from "../jlis";
import { DirectoryJlisStore } from "../store";

type Cache = { jlis?: Promise<SimulatedJlis>; handler?: (req: Request) => Promise<Response> };
// On globalThis so dev-mode module reloads share one instance.
const holder = globalThis as { __ichimaiJlis?: Cache };
holder.__ichimaiJlis ??= {};
const cache = holder.__ichimaiJlis;

/** The simulator of JLIS_DATA_DIR; retried on the next call if it is not initialized yet. */
export function getProcessJlis(): Promise<SimulatedJlis> {
  cache.jlis ??= openWithDevVerifiers().catch((e) => {
    cache.jlis = undefined;
    throw e;
  });
  return cache.jlis;
}

async function openWithDevVerifiers(): Promise<SimulatedJlis> {
  const config = env();
  const jlis = await SimulatedJlis.open(new DirectoryJlisStore(resolveDataPath(config.JLIS_DATA_DIR)));
  if (config.NODE_ENV !== "production") {
    for (const v of Object.values(DEV_VERIFIERS)) {
      if (!jlis.checkVerifier(v.id, v.secret)) await jlis.registerVerifier(v.id, v.secret);
    }
  }
  return jlis;
}

/** The J-LIS HTTP handler mounted at /jlis, for registered verifiers of JLIS_DATA_DIR. */
export function getProcessJlisHandler(): (req: Request) => Promise<Response> {
  cache.handler ??= createJlisHandler(getProcessJlis, {
    verifierCredentials: async ({ clientId, secret }) => {
      const jlis = await getProcessJlis();
      // A verifier registered by the CLI after start-up is seen at once.
      await jlis.syncFromStore();
      return jlis.checkVerifier(clientId, secret);
    },
    // Outside production the counter's card terminal reaches the virtual cards of CARD_AGENT_CARDS_DIR
    // (the card "at the counter": PIN unlock), as the J-LIS counter system reaches a real card.
    counter:
      env().NODE_ENV === "production" && !env().CARD_AGENT_TEST_SIGN_PIN
        ? undefined
        : {
            cardsDir: resolveDataPath(env().CARD_AGENT_CARDS_DIR),
            slipsDir: path.join(resolveDataPath(env().JLIS_DATA_DIR), "counter-slips"),
          },
    // Outside production the holder's virtual cards get the re-issued signing key (the counter's
    // job for a real card), with the PIN the local agent types in test mode, else the demo PIN.
    onSignReissued:
      env().NODE_ENV === "production" && !env().CARD_AGENT_TEST_SIGN_PIN
        ? undefined
        : async ({ residentRef, sign }) => {
            const config = env();
            await reissueSignOnVirtualCards({
              cardsDir: resolveDataPath(config.CARD_AGENT_CARDS_DIR),
              residentRef,
              sign,
              signPin: config.CARD_AGENT_TEST_SIGN_PIN ?? DEMO_PINS.sign,
            });
          },
  });
  return cache.handler;
}
