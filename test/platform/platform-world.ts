/**
 * Test world of the verification platform: a real simulated J-LIS (memory store) over real HTTP
 * on 127.0.0.1 (OCSP, CRLs, links, latest facts; verifier credentials required), a platform
 * context wired to it as the portal wires it, partners with credentials, and residents with
 * cards whose signing keys make real CMS applications (signCms). Nothing is mocked.
 */
import { bindAuthCertificate } from "../auth/bind-auth-certificate";
import "reflect-metadata";
import { afterAll, beforeAll } from "vitest";
import { webcrypto } from "node:crypto";
import type { PrismaClient, Resident } from "../../generated/prisma/client";
import { seedPartner, seedPartnerCredential, seedResident } from "../../prisma/seed/factories";
import { DEMO_MUNICIPALITY, fourFactsOfResident } from "../../jlis-sim/demo-cards";
import { signCms } from "../../lib/jpki/cms-sign";
import { createJlisHandler } from "../../jlis-sim/http/http";
import { type IssuedCredential, type IssuedToken, SimulatedJlis } from "../../jlis-sim/jlis";
import { type RunningServer, startJlisServer } from "../../jlis-sim/http/server";
import { MemoryJlisStore } from "../../jlis-sim/store";
import { sha256Hex } from "../../lib/crypto/sha256";
import type { TApiScope } from "../../lib/partners/scopes";
import { verifyPartnerCredential } from "../../lib/partners/verify-partner-credential";
import { createJlisClient } from "../../lib/jlis/client";
import {
  DEFAULT_WEBHOOK_SETTINGS,
  type TPlatformContext,
  type TWebhookSettings,
} from "../../lib/platform/platform-context";

const HOLDER_KEYS = 8;
/** The portal origin terminal kiosk pages run on (what the card signs for). */
export const PORTAL = "http://portal.test:3000";
const RSA = {
  name: "RSASSA-PKCS1-v1_5",
  hash: "SHA-256",
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
};

export type TPartnerClient = {
  partnerId: string;
  credentialId: string;
  clientId: string;
  clientSecret: string;
  scopes: TApiScope[];
  /** The credential's mode: TEST reaches the sandbox (JPKI-TEST cards), LIVE real residents. */
  mode: "TEST" | "LIVE";
  /** `Authorization: Basic …` of the credential. */
  authorization: string;
};

export type TPlatformWorld = {
  jlis: SimulatedJlis;
  server: RunningServer;
  context(prisma: PrismaClient, webhooks?: Partial<TWebhookSettings>): TPlatformContext;
  /** A partner (kind, name) with one credential holding `scopes`. */
  partner(
    prisma: PrismaClient,
    o: {
      scopes: TApiScope[];
      name?: string;
      kind?: "LIFE_INSURER" | "BANK" | "HEALTH_INSURER" | "HOSPITAL";
      /** The credential's mode (default LIVE). */
      mode?: "TEST" | "LIVE";
    },
  ): Promise<TPartnerClient>;
  /** A registry resident with a card (auth + sign) whose signing certificate carries their facts. */
  resident(
    prisma: PrismaClient,
    o?: { bindAuth?: boolean /** A sandbox resident with a JPKI-TEST card. */; sandbox?: boolean },
  ): Promise<{ resident: Resident; card: IssuedToken }>;
  close(): Promise<void>;
};

/**
 * beforeAll/afterAll wiring of one world per describe: `const world = usePlatformWorld();` then
 * `world()` inside tests (as useTestDatabase of test/db.ts).
 */
export function usePlatformWorld(): () => TPlatformWorld {
  let current: TPlatformWorld | undefined;
  beforeAll(async () => {
    current = await startPlatformWorld();
  });
  afterAll(async () => {
    await current?.close();
  });
  return () => {
    if (!current) throw new Error("usePlatformWorld(): the world is started in beforeAll");
    return current;
  };
}

/** `serialStart` pins J-LIS's first serial (e.g. one with an odd number of hex digits). */
export async function startPlatformWorld(o: { serialStart?: bigint } = {}): Promise<TPlatformWorld> {
  const store = new MemoryJlisStore();
  const gen = () => webcrypto.subtle.generateKey(RSA, true, ["sign", "verify"]) as Promise<CryptoKeyPair>;
  const [caKeys, holderKeys] = await Promise.all([
    Promise.all(Array.from({ length: 7 }, gen)),
    Promise.all(Array.from({ length: HOLDER_KEYS }, gen)),
  ]);
  let next = 0;
  const jlis = await SimulatedJlis.initialize(store, {
    generations: 2,
    testHierarchy: true,
    serialStart: o.serialStart,
    keyPool: caKeys,
    generateKeyPair: async () => holderKeys[next++ % HOLDER_KEYS]!,
  });
  const verifier = { id: "ichimai-platform", secret: await jlis.registerVerifier("ichimai-platform") };
  const server = await startJlisServer(
    createJlisHandler(jlis, { verifierCredentials: ({ clientId, secret }) => jlis.checkVerifier(clientId, secret) }),
    { port: 0 },
  );
  const responders = [...store.artifacts.entries()].filter(([p]) => p.startsWith("ocsp/")).map(([, d]) => d);
  const crlPaths = new Map<string, string>();
  for (const ca of jlis.cas()) {
    const prefix = ca.hierarchy === "test" ? "test/" : "";
    crlPaths.set(sha256Hex(ca.certificate), `${prefix}gen${ca.generation}/${ca.purpose}.crl`);
  }
  const platformJlis = createJlisClient({
    baseUrl: `${server.url}/jlis`,
    verifierId: verifier.id,
    verifierSecret: verifier.secret,
    responderCertificates: responders,
    crlPaths,
  });
  let partnerSeq = 0;
  return {
    jlis,
    server,
    context: (prisma, webhooks = {}) => ({
      prisma,
      signTrustAnchors: jlis.trustAnchors({ purpose: "sign", hierarchy: "production" }),
      testSignTrustAnchors: jlis.trustAnchors({ purpose: "sign", hierarchy: "test" }),
      jlis: platformJlis,
      webhooks: { ...DEFAULT_WEBHOOK_SETTINGS, allowHttp: true, ...webhooks },
      eligibility: {
        authTrustAnchors: jlis.trustAnchors({ purpose: "auth", hierarchy: "production" }),
        testAuthTrustAnchors: jlis.trustAnchors({ purpose: "auth", hierarchy: "test" }),
        origin: PORTAL,
      },
    }),
    async partner(prisma, o) {
      partnerSeq++;
      const partner = await seedPartner(prisma, {
        kind: o.kind ?? "LIFE_INSURER",
        name: o.name ?? `さくら生命保険${partnerSeq}`,
      });
      const { credential, clientSecret } = await seedPartnerCredential(prisma, {
        partnerId: partner.id,
        scopes: o.scopes,
        mode: o.mode,
      });
      const verified = await verifyPartnerCredential(prisma, { clientId: credential.clientId, clientSecret });
      return {
        partnerId: partner.id,
        credentialId: credential.id,
        clientId: credential.clientId,
        clientSecret,
        scopes: verified.scopes,
        mode: verified.mode,
        authorization: `Basic ${Buffer.from(`${credential.clientId}:${clientSecret}`).toString("base64")}`,
      };
    },
    async resident(prisma, o = {}) {
      const resident = await seedResident(prisma, o.sandbox ? { sandbox: true } : {});
      const card = await jlis.issueCard({
        residentRef: resident.registryNumber,
        facts: fourFactsOfResident(resident),
        municipality: DEMO_MUNICIPALITY,
        hierarchy: o.sandbox ? "test" : undefined,
      });
      if (o.bindAuth ?? true) {
        await bindAuthCertificate(prisma, resident.id, card.auth);
      }
      return { resident, card };
    },
    close: () => server.close(),
  };
}

/** An application (JSON) signed by a card credential as CMS SignedData, base64. */
export async function signApplication(
  cred: Pick<IssuedCredential, "certificate" | "privateKey">,
  application: unknown,
  o: { detached?: boolean; signingTime?: Date } = {},
): Promise<{ signedData: string; content: string }> {
  const content = new TextEncoder().encode(JSON.stringify(application));
  const der = await signCms({
    content,
    signerCertificate: cred.certificate,
    privateKey: cred.privateKey,
    detached: o.detached ?? false,
    signingTime: o.signingTime ?? new Date(),
  });
  return { signedData: Buffer.from(der).toString("base64"), content: Buffer.from(content).toString("base64") };
}
