import "reflect-metadata";
import { createHash, webcrypto } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_MUNICIPALITY } from "../../jlis-sim/demo-cards";
import { createJlisHandler } from "../../jlis-sim/http/http";
import { type RunningServer, startJlisServer } from "../../jlis-sim/http/server";
import { type IssuedToken, SimulatedJlis } from "../../jlis-sim/jlis";
import { MemoryJlisStore } from "../../jlis-sim/store";
import { requireGoodStatus } from "../auth/card-certificate";
import { AppError } from "../errors/app-error";
import { RevocationCache } from "../jpki/revocation";
import { createJlisClient, type TJlisClientOptions } from "./client";
import { checkRevocationAtJlis } from "./revocation";

const RSA = {
  name: "RSASSA-PKCS1-v1_5",
  hash: "SHA-256",
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
};
const FACTS = {
  name: "試験\u3000次郎",
  address: "徳島県一枚町港町一丁目2番地",
  dateOfBirth: "1985-05-05",
  gender: "male",
} as const;

const urlOf = (input: RequestInfo | URL) => String(input instanceof Request ? input.url : input);

describe("checkRevocationAtJlis against the simulated J-LIS over HTTP", () => {
  let jlis: SimulatedJlis;
  let server: RunningServer;
  let options: TJlisClientOptions;
  let good: IssuedToken;
  let lost: IssuedToken;
  /** Every request J-LIS was asked, by path. */
  const asked: string[] = [];
  const recording: typeof fetch = (input, init) => {
    asked.push(new URL(urlOf(input)).pathname);
    return fetch(input, init);
  };
  /** OCSP answers 503 (responder down); CRLs still served. */
  const ocspDown: typeof fetch = (input, init) =>
    new URL(urlOf(input)).pathname.endsWith("/ocsp")
      ? Promise.resolve(new Response("unavailable", { status: 503 }))
      : recording(input, init);
  const query = (t: IssuedToken) => ({
    certificate: t.auth.certificate,
    issuer: t.auth.caCertificate,
    now: new Date(),
  });

  beforeAll(async () => {
    const store = new MemoryJlisStore();
    const keys = await Promise.all(
      Array.from(
        { length: 7 },
        () => webcrypto.subtle.generateKey(RSA, true, ["sign", "verify"]) as Promise<CryptoKeyPair>,
      ),
    );
    let next = 0;
    jlis = await SimulatedJlis.initialize(store, {
      generations: 2,
      testHierarchy: false,
      keyPool: keys.slice(0, 5),
      generateKeyPair: async () => keys[5 + (next++ % 2)]!,
    });
    const secret = await jlis.registerVerifier("revocation-test");
    server = await startJlisServer(
      createJlisHandler(jlis, { verifierCredentials: ({ clientId, secret: s }) => jlis.checkVerifier(clientId, s) }),
      { port: 0 },
    );
    const crlPaths = new Map<string, string>();
    for (const ca of jlis.cas()) {
      const fp = createHash("sha256").update(ca.certificate).digest("hex");
      crlPaths.set(fp, jlis.crlScopeId({ hierarchy: ca.hierarchy, purpose: ca.purpose, generation: ca.generation }));
    }
    options = {
      baseUrl: `${server.url}/jlis/`,
      verifierId: "revocation-test",
      verifierSecret: secret,
      responderCertificates: [...store.artifacts.entries()].filter(([p]) => p.startsWith("ocsp/")).map(([, d]) => d),
      crlPaths,
      fetch: recording,
    };
    good = await jlis.issueCard({ residentRef: "rev-good", municipality: DEMO_MUNICIPALITY, facts: FACTS });
    lost = await jlis.issueCard({ residentRef: "rev-lost", municipality: DEMO_MUNICIPALITY, facts: FACTS });
    await jlis.reportLost({ residentRef: "rev-lost" });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("OCSP good: good from OCSP, no CRL fetched", async () => {
    asked.length = 0;
    const r = await checkRevocationAtJlis(createJlisClient(options), query(good));
    expect(r).toMatchObject({ status: "good", source: "ocsp" });
    expect(r.failures).toBeUndefined();
    expect(asked).toEqual(["/jlis/ocsp"]);
  });

  it("OCSP revoked: revoked with the reason and time J-LIS recorded", async () => {
    const r = await checkRevocationAtJlis(createJlisClient(options), query(lost));
    expect(r).toMatchObject({ status: "revoked", source: "ocsp", reason: "keyCompromise" });
    expect(r.revokedAt?.toISOString()).toBe(jlis.certificate(lost.auth.serial)?.revokedAt);
  });

  it("OCSP down: the issuer's CRL answers, and the OCSP failure is reported", async () => {
    asked.length = 0;
    const client = createJlisClient({ ...options, fetch: ocspDown });
    const revoked = await checkRevocationAtJlis(client, query(lost));
    expect(revoked).toMatchObject({ status: "revoked", source: "crl", reason: "keyCompromise" });
    expect(revoked.failures?.map((f) => f.source)).toEqual(["ocsp"]);
    expect(asked).toEqual([`/jlis/crl/${options.crlPaths!.get(sha256(lost.auth.caCertificate))}`]);
    expect(await checkRevocationAtJlis(client, query(good))).toMatchObject({ status: "good", source: "crl" });
  });

  it("OCSP and CRL down: unavailable, which every caller refuses as CERT_STATUS_UNAVAILABLE", async () => {
    const down = createJlisClient({ ...options, baseUrl: "http://127.0.0.1:9/jlis" });
    const r = await checkRevocationAtJlis(down, query(good));
    expect(r.status).toBe("unavailable");
    expect(r.failures?.map((f) => f.source)).toEqual(["ocsp", "crl"]);
    // OCSP down and no CRL configured for the issuer: unavailable too.
    const noCrl = createJlisClient({ ...options, crlPaths: new Map(), fetch: ocspDown });
    expect((await checkRevocationAtJlis(noCrl, query(good))).status).toBe("unavailable");
    let code: string | undefined;
    try {
      requireGoodStatus(r);
    } catch (e) {
      code = e instanceof AppError ? e.code : undefined;
    }
    expect(code).toBe("CERT_STATUS_UNAVAILABLE");
  });

  it("a cache is the caller's choice: with one the second answer is cached, without one J-LIS is asked again", async () => {
    const client = createJlisClient(options);
    const cache = new RevocationCache();
    expect((await checkRevocationAtJlis(client, { ...query(good), cache })).source).toBe("ocsp");
    expect((await checkRevocationAtJlis(client, { ...query(good), cache })).source).toBe("cache");
    expect((await checkRevocationAtJlis(client, query(good))).source).toBe("ocsp");
  });
});

function sha256(der: Uint8Array): string {
  return createHash("sha256").update(der).digest("hex");
}
