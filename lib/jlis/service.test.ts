import "reflect-metadata";
import { createHash, webcrypto } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createJlisHandler } from "../../jlis-sim/http/http";
import { SimulatedJlis } from "../../jlis-sim/jlis";
import { type RunningServer, startJlisServer } from "../../jlis-sim/http/server";
import { DirectoryJlisStore } from "../../jlis-sim/store";
import { createJlisClient, type TJlisClientOptions } from "./client";
import { checkRevocationAtJlis } from "./revocation";
import { loadTrustAnchors, type TTrustAnchors } from "./service";
import { DEMO_MUNICIPALITY } from "../../jlis-sim/demo-cards";

const RSA = {
  name: "RSASSA-PKCS1-v1_5",
  hash: "SHA-256",
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
};

describe("card-login context from a simulator data directory", () => {
  let dir: string;
  let jlis: SimulatedJlis;
  let server: RunningServer;
  let anchors: TTrustAnchors;
  let secret: string;

  beforeAll(async () => {
    let next = 0;
    dir = await mkdtemp(path.join(os.tmpdir(), "ichimai-auth-ctx-"));
    const keys = await Promise.all(
      Array.from(
        { length: 9 },
        () => webcrypto.subtle.generateKey(RSA, true, ["sign", "verify"]) as Promise<CryptoKeyPair>,
      ),
    );
    jlis = await SimulatedJlis.initialize(new DirectoryJlisStore(dir), {
      generations: 2,
      testHierarchy: true,
      keyPool: keys.slice(0, 7),
      generateKeyPair: async () => keys[7 + (next++ % 2)]!,
    });
    secret = await jlis.registerVerifier("portal");
    server = await startJlisServer(
      createJlisHandler(jlis, { verifierCredentials: ({ clientId, secret: s }) => jlis.checkVerifier(clientId, s) }),
      { port: 0 },
    );
    anchors = await loadTrustAnchors(dir);
  });
  afterAll(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("trusts every production generation, never the O=JPKI-TEST roots", () => {
    const prod = (purpose: "auth" | "sign") =>
      jlis
        .trustAnchors({ purpose, hierarchy: "production" })
        .map((c) => Buffer.from(c).toString("hex"))
        .sort();
    expect(anchors.auth.map((c) => Buffer.from(c).toString("hex")).sort()).toEqual(prod("auth"));
    expect(anchors.sign.map((c) => Buffer.from(c).toString("hex")).sort()).toEqual(prod("sign"));
    expect(anchors.auth).toHaveLength(2);
    expect(jlis.trustAnchors({ purpose: "auth", hierarchy: "test" })).toHaveLength(1);
    expect(anchors.responders.length).toBeGreaterThanOrEqual(4);
  });

  it("maps each root to the CRL path the simulator serves for it", () => {
    for (const ca of jlis.cas().filter((c) => c.hierarchy === "production")) {
      const key = createHash("sha256").update(ca.certificate).digest("hex");
      expect(anchors.crlPaths.get(key)).toBe(
        jlis.crlScopeId({ hierarchy: "production", purpose: ca.purpose, generation: ca.generation }),
      );
    }
  });

  it("falls back to the CRL when OCSP fails, and says unavailable when both fail", async () => {
    const card = await jlis.issueCard({
      residentRef: "ctx-1",
      municipality: DEMO_MUNICIPALITY,
      facts: {
        name: "試験\u3000花子",
        address: "徳島県一枚町港町一丁目1番地",
        dateOfBirth: "1990-01-02",
        gender: "female",
      },
    });
    await jlis.reportLost({ residentRef: "ctx-1" });
    const blockOcsp: typeof fetch = (input, init) =>
      String(input instanceof Request ? input.url : input).includes("/ocsp")
        ? Promise.reject(new TypeError("fetch failed"))
        : fetch(input, init);
    const base: TJlisClientOptions = {
      baseUrl: `${server.url}/jlis`,
      verifierId: "portal",
      verifierSecret: secret,
      responderCertificates: anchors.responders,
    };
    const now = new Date();
    const q = { certificate: card.auth.certificate, issuer: card.auth.caCertificate, now };
    expect(await checkRevocationAtJlis(createJlisClient({ ...base, crlPaths: anchors.crlPaths }), q)).toMatchObject({
      status: "revoked",
      source: "ocsp",
    });
    expect(
      await checkRevocationAtJlis(createJlisClient({ ...base, crlPaths: anchors.crlPaths, fetch: blockOcsp }), q),
    ).toMatchObject({
      status: "revoked",
      source: "crl",
    });
    expect(
      await checkRevocationAtJlis(createJlisClient({ ...base, crlPaths: new Map(), fetch: blockOcsp }), q),
    ).toMatchObject({
      status: "unavailable",
    });
  });
});
