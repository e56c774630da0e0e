/**
 * Benchmark: login-style verification of a JPKI user-authentication token, per second, against
 * raw RSA-2048 PKCS#1 v1.5 verifications per second with node:crypto (the baseline, same run).
 *
 * One login = parseJpkiCertificate (refuse anything but an auth cert) + validateChain to the two
 * auth root generations with the auth policy + checkRevocation over OCSP on a local HTTP
 * responder + verifyRsaPkcs1 of the card's signature over hash(origin) ‖ hash(nonce).
 * Modes (responders run in this process, on 127.0.0.1):
 *   A  every login asks the simulated J-LIS (nonce; it signs each answer, RSA-2048);
 *   B  every login asks a responder with pre-signed answers (RFC 5019 style, no nonce);
 *   C  answers reused until nextUpdate (RevocationCache), the normal steady state of a portal.
 * Goal: C ≥ 1/3 of raw. Not a test: no assertions. Run: npx tsx bench/jpki-login-verify.ts
 */
import "reflect-metadata";
import { createHash, createPublicKey, verify } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { checkRevocation, OID, parseJpkiCertificate, RevocationCache, validateChain, verifyRsaPkcs1 } from "@/lib/jpki";
import { parseCertificate } from "@/lib/jpki/certificate";
import { createJlisHandler } from "@/jlis-sim/http/http";
import { SimulatedJlis } from "@/jlis-sim/jlis";
import { startJlisServer } from "@/jlis-sim/http/server";
import { MemoryJlisStore } from "@/jlis-sim/store";
import { buildOcspResponse, rsaKeys } from "@/test/jpki/fixtures";
import { concurrently, interleaved } from "./jpki-bench-util";

const CARDS = 200;
const ORIGIN = "https://ichimai.example.jp";
const clock = new Date("2026-04-01T03:00:00Z");

type Token = { certificate: Uint8Array; message: Uint8Array; signature: Uint8Array };

async function main(): Promise<void> {
  const pool = await Promise.all(Array.from({ length: 16 }, () => rsaKeys()));
  let next = 0;
  const jlis = await SimulatedJlis.initialize(new MemoryJlisStore(), {
    clock: () => clock,
    keyPool: pool.slice(0, 6),
    generations: 2,
    testHierarchy: false,
    generateKeyPair: async () => pool[6 + (next++ % 10)]!,
  });
  const secret = await jlis.registerVerifier("bench");
  const headers = { authorization: `Basic ${Buffer.from(`bench:${secret}`).toString("base64")}` };
  const server = await startJlisServer(
    createJlisHandler(jlis, { verifierCredentials: (c) => jlis.checkVerifier(c.clientId, c.secret) }),
  );
  const anchors = jlis.trustAnchors({ purpose: "auth", hierarchy: "production" });

  const tokens: Token[] = [];
  const t0 = performance.now();
  for (let i = 0; i < CARDS; i++) {
    const card = await jlis.issueCard({
      residentRef: `r-${i}`,
      facts: {
        name: "山田\u3000太郎",
        address: "東京都清瀬市中里一丁目1番地",
        dateOfBirth: "1980-01-01",
        gender: "male",
      },
      municipality: { code: "13221", prefectureRomaji: "Tokyo-to", municipalityRomaji: "Kiyose-shi" },
    });
    const nonce = crypto.getRandomValues(new Uint8Array(32));
    const message = new Uint8Array(
      Buffer.concat([createHash("sha256").update(ORIGIN).digest(), createHash("sha256").update(nonce).digest()]),
    );
    const signature = new Uint8Array(await crypto.subtle.sign("RSASSA-PKCS1-v1_5", card.auth.privateKey, message));
    tokens.push({ certificate: card.auth.certificate, message, signature });
  }
  console.log(
    `setup: ${CARDS} cards issued by the simulated J-LIS in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  // Responder B: the same CA's answers, signed ahead of time (no nonce), served over HTTP.
  const ca = jlis.currentCa("auth");
  const caCert = parseCertificate(ca.certificate);
  const presigned = new Map<bigint, Uint8Array>();
  for (const t of tokens) {
    const serial = parseCertificate(t.certificate).serial;
    presigned.set(
      serial,
      await buildOcspResponse({
        signerKey: ca.keys.privateKey,
        signerCert: caCert,
        status: "good",
        thisUpdate: clock,
        nextUpdate: new Date(clock.getTime() + 600_000),
        serial,
        issuer: caCert,
      }),
    );
  }
  const { readOcspRequest } = await import("@/test/jpki/fixtures");
  const presignedServer = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = presigned.get(readOcspRequest(new Uint8Array(Buffer.concat(chunks))).serial);
      res.writeHead(body ? 200 : 404, { "content-type": "application/ocsp-response" });
      res.end(body ? Buffer.from(body) : undefined);
    });
  });
  await new Promise<void>((r) => presignedServer.listen(0, "127.0.0.1", r));
  const presignedUrl = `http://127.0.0.1:${(presignedServer.address() as AddressInfo).port}/ocsp`;

  const login = async (
    t: Token,
    ocsp: { url: string; headers?: Record<string, string>; nonce?: boolean },
    cache?: RevocationCache,
  ) => {
    const j = parseJpkiCertificate(t.certificate);
    if (j.kind !== "auth") throw new Error("not an auth certificate");
    const chain = await validateChain({
      leaf: t.certificate,
      trustAnchors: anchors,
      time: clock,
      requiredPolicies: [OID.jpkiAuthPolicy],
    });
    if (!chain.valid || !chain.path) throw new Error(`path: ${chain.code}`);
    const rev = await checkRevocation({ certificate: t.certificate, issuer: chain.path[1]!, now: clock, ocsp, cache });
    if (rev.status !== "good") throw new Error(`revocation: ${rev.status} ${JSON.stringify(rev.failures)}`);
    const ok = await verifyRsaPkcs1({
      publicKeySpki: j.certificate.spki,
      message: t.message,
      signature: t.signature,
      hash: "SHA-256",
    });
    if (!ok) throw new Error("signature");
  };

  // Baseline: raw verifications of the same signatures with node:crypto, interleaved with mode C
  // in short rounds (the machine is shared, so load falls on both alike).
  const keys = tokens.map((t) =>
    createPublicKey({ key: Buffer.from(parseCertificate(t.certificate).spki), format: "der", type: "spki" }),
  );
  const rawOp = async (i: number) => {
    const k = i % tokens.length;
    if (!verify("sha256", tokens[k]!.message, keys[k]!, tokens[k]!.signature)) throw new Error("raw verify failed");
  };
  const jlisOcsp = { url: `${server.url}/jlis/ocsp`, headers };
  const cache = new RevocationCache();
  for (const t of tokens) await login(t, jlisOcsp, cache);
  const rawName = "raw RSA-2048 PKCS#1 v1.5 verify (node:crypto)";
  const cName = "C login, OCSP answer reused until nextUpdate (cache)";
  const r = await interleaved(6, 500, {
    [rawName]: rawOp,
    [cName]: (i) => login(tokens[i % CARDS]!, jlisOcsp, cache),
  });
  const raw = r[rawName]!;
  const c = r[cName]!;
  const b = await concurrently("B login, fresh OCSP per login (pre-signed, no nonce)", 3000, 8, (i) =>
    login(tokens[i % CARDS]!, { url: presignedUrl, nonce: false }),
  );
  const a = await concurrently("A login, fresh OCSP per login (sim J-LIS signs, nonce)", 3000, 4, (i) =>
    login(tokens[i % CARDS]!, jlisOcsp),
  );

  console.log(`ratio A ${(a / raw).toFixed(3)}  B ${(b / raw).toFixed(3)}  C ${(c / raw).toFixed(3)}  (goal ≥ 0.333)`);
  console.log(
    `ratio ${(c / raw).toFixed(2)} (goal ≥ 0.33) — steady state C; A and B are bounded by the HTTP round trip and the responder`,
  );
  await server.close();
  await new Promise<void>((r) => presignedServer.close(() => r()));
}

await main();
