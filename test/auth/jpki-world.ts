/**
 * Test world for card login: a real simulated J-LIS (in-memory store) served over real HTTP on
 * 127.0.0.1 (OCSP, CRLs, linking; verifier credentials required), a card-login context wired to
 * it exactly as the portal wires it, and helpers to issue cards for registry residents and make
 * Web eID tokens with the card keys.
 */
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import type { PrismaClient, Resident } from "../../generated/prisma/client";
import type { IssuedCredential, IssuedToken } from "../../jlis-sim/jlis";
import { SimulatedJlis } from "../../jlis-sim/jlis";
import { createJlisHandler } from "../../jlis-sim/http/http";
import { type RunningServer, startJlisServer } from "../../jlis-sim/http/server";
import { MemoryJlisStore } from "../../jlis-sim/store";
import { DEMO_MUNICIPALITY, fourFactsOfResident } from "../../jlis-sim/demo-cards";
import { createJlisClient } from "../../lib/jlis/client";
import type { TCardLoginContext } from "../../lib/auth/verify-card-login";
import { webEidSignedData } from "../../lib/auth/web-eid-token";

export const PORTAL = "http://portal.test:3000";
const HOLDER_KEYS = 8;
const RSA = {
  name: "RSASSA-PKCS1-v1_5",
  hash: "SHA-256",
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
};

export type TJpkiWorld = {
  jlis: SimulatedJlis;
  server: RunningServer;
  store: MemoryJlisStore;
  verifier: { id: string; secret: string };
  context(db: PrismaClient, overrides?: Partial<TCardLoginContext>): TCardLoginContext;
  /** Issue a card whose signing certificate carries the resident's registry facts. */
  issueCardFor(resident: Resident): Promise<IssuedToken>;
  close(): Promise<void>;
};

/** The four facts of a registry record in the certificate's form (docs/jpki.md#the-four-basic-facts). */
export const factsOf = fourFactsOfResident;

export async function startJpkiWorld(): Promise<TJpkiWorld> {
  const store = new MemoryJlisStore();
  // RSA-2048 generation dominates test time on 2 cores: make the CA and responder keys and a
  // rotating pool of holder keys in parallel. Consecutive cards never share a key (pool > 2).
  const gen = () => webcrypto.subtle.generateKey(RSA, true, ["sign", "verify"]) as Promise<CryptoKeyPair>;
  const [caKeys, holderKeys] = await Promise.all([
    Promise.all(Array.from({ length: 5 }, gen)),
    Promise.all(Array.from({ length: HOLDER_KEYS }, gen)),
  ]);
  let next = 0;
  const jlis = await SimulatedJlis.initialize(store, {
    generations: 2,
    testHierarchy: false,
    keyPool: caKeys,
    generateKeyPair: async () => holderKeys[next++ % HOLDER_KEYS]!,
  });
  const verifier = { id: "ichimai-portal", secret: await jlis.registerVerifier("ichimai-portal") };
  const handler = createJlisHandler(jlis, {
    verifierCredentials: ({ clientId, secret }) => jlis.checkVerifier(clientId, secret),
  });
  const server = await startJlisServer(handler, { port: 0 });
  const responders = [...store.artifacts.entries()].filter(([p]) => p.startsWith("ocsp/")).map(([, d]) => d);
  const client = createJlisClient({
    baseUrl: `${server.url}/jlis`,
    verifierId: verifier.id,
    verifierSecret: verifier.secret,
    responderCertificates: responders,
  });
  return {
    jlis,
    server,
    store,
    verifier,
    context: (db, overrides = {}) => ({
      db,
      portalOrigin: PORTAL,
      bindingCookieName: "ichimai-card",
      authTrustAnchors: jlis.trustAnchors({ purpose: "auth", hierarchy: "production" }),
      signTrustAnchors: jlis.trustAnchors({ purpose: "sign", hierarchy: "production" }),
      jlis: client,
      ...overrides,
    }),
    issueCardFor: (resident) =>
      jlis.issueCard({
        residentRef: resident.registryNumber,
        facts: factsOf(resident),
        municipality: DEMO_MUNICIPALITY,
      }),
    close: () => server.close(),
  };
}

function b64(bytes: ArrayBuffer | Uint8Array): string {
  return Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)).toString("base64");
}

/** A Web eID token made with a card credential over `nonce` for `origin`. */
export async function makeToken(
  cred: Pick<IssuedCredential, "certificate" | "privateKey">,
  nonce: string,
  origin = PORTAL,
): Promise<string> {
  const data = webEidSignedData(origin, nonce);
  const signature = await webcrypto.subtle.sign({ name: "RSASSA-PKCS1-v1_5" }, cred.privateKey, new Uint8Array(data));
  return JSON.stringify({
    format: "web-eid:1.0",
    unverifiedCertificate: b64(cred.certificate),
    algorithm: "RS256",
    signature: b64(signature),
    appVersion: "vitest",
  });
}

/** RSASSA-PKCS1-v1_5 SHA-256 signature (base64) over UTF-8 text with a card credential. */
export async function signText(cred: Pick<IssuedCredential, "privateKey">, text: string): Promise<string> {
  return b64(
    await webcrypto.subtle.sign({ name: "RSASSA-PKCS1-v1_5" }, cred.privateKey, new TextEncoder().encode(text)),
  );
}
