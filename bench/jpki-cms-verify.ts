/**
 * Benchmark: CMS SignedData (CAdES-BES) verifications per second with verifyCms, against raw
 * RSA-2048 PKCS#1 v1.5 verifications per second with node:crypto (the baseline, same run).
 *
 * 400 mailbox-style documents (≈1 KB JSON, half detached, half attached) signed by 40 JPKI
 * signing certificates of the simulator. One verification = parse + content-type, digest,
 * signing-time and signing-certificate-v2 checks + the signature + the signer path at signing
 * time + the four facts + revocation now from the municipality CRL over HTTP, whose answers are
 * reused until nextUpdate (RevocationCache). Goal ≥ 1/2 of raw. Not a test: no assertions.
 * Run: npx tsx bench/jpki-cms-verify.ts
 */
import "reflect-metadata";
import { createPublicKey, sign as nodeSign, verify } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { RevocationCache, signCms, verifyCms } from "@/lib/jpki";
import { buildCrl, createRootCa, issueSignCertificate } from "@/jlis-sim/ca/ca";
import { rsaKeys } from "@/test/jpki/fixtures";
import { interleaved } from "./jpki-bench-util";

const SIGNERS = 40;
const DOCS = 400;
const NOW = new Date("2026-04-01T03:00:00Z");

async function main(): Promise<void> {
  const pool = await Promise.all(Array.from({ length: 9 }, () => rsaKeys()));
  const ca = await createRootCa({
    purpose: "sign",
    generation: 3,
    keys: pool[0]!,
    notBefore: new Date("2023-07-16T00:00:00Z"),
    notAfter: new Date("2033-07-15T00:00:00Z"),
  });
  const signers: { cert: Uint8Array; key: CryptoKey }[] = [];
  for (let i = 0; i < SIGNERS; i++) {
    const k = pool[1 + (i % 8)]!;
    const cert = await issueSignCertificate({
      ca,
      subjectPublicKey: k.publicKey,
      serialNumber: BigInt(1000 + i),
      facts: {
        name: `山田\u3000太郎${i}`,
        address: "東京都清瀬市中里一丁目1番地",
        dateOfBirth: "1980-01-01",
        gender: "male",
      },
      prefectureRomaji: "Tokyo-to",
      municipalityRomaji: "Kiyose-shi",
      municipalityCode: "13221",
      issuedAt: new Date("2025-06-01T00:00:00Z"),
    });
    signers.push({ cert, key: k.privateKey });
  }
  const docs: { sd: Uint8Array; detached?: Uint8Array }[] = [];
  for (let i = 0; i < DOCS; i++) {
    const content = new TextEncoder().encode(
      JSON.stringify({ type: "application", id: i, body: "申請内容".repeat(60), at: NOW.toISOString() }),
    );
    const s = signers[i % SIGNERS]!;
    const detached = i % 2 === 0;
    const sd = await signCms({ content, signerCertificate: s.cert, privateKey: s.key, detached, signingTime: NOW });
    docs.push({ sd, detached: detached ? content : undefined });
  }
  const crl = await buildCrl({
    ca,
    entries: Array.from({ length: 5000 }, (_, i) => ({
      serialNumber: BigInt(900_000 + i),
      revokedAt: new Date(NOW.getTime() - 86_400_000),
      reason: "affiliationChanged" as const,
    })),
    thisUpdate: new Date(NOW.getTime() - 3_600_000),
    nextUpdate: new Date(NOW.getTime() + 20 * 3_600_000),
    crlNumber: 1n,
    issuingDistributionPoint:
      "C=JP, O=JPKI, OU=JPKI for digital signature, OU=CRL Distribution Points, OU=Tokyo-to, CN=Kiyose-shi CRLDP",
    onlyContainsUserCerts: true,
  });
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/pkix-crl" });
    res.end(Buffer.from(crl));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const crlUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/crl/sign/13221.crl`;
  console.log(`setup: ${DOCS} documents from ${SIGNERS} signers; municipality CRL of 5,000 entries at ${crlUrl}`);

  const cache = new RevocationCache();
  const check = async (i: number, withRevocation: boolean) => {
    const d = docs[i % DOCS]!;
    const r = await verifyCms({
      signedData: d.sd,
      detachedContent: d.detached,
      trustAnchors: [ca.certificate],
      time: NOW,
      revocation: withRevocation ? { crls: { url: crlUrl }, cache } : undefined,
    });
    if (!r.valid || !r.facts) throw new Error(`invalid: ${JSON.stringify(r.checks.filter((c) => !c.ok))}`);
  };
  for (let i = 0; i < DOCS; i++) await check(i, true);

  // Baseline: raw verification of RSA-2048 signatures of the same size with node:crypto.
  const { privateKey } = await import("node:crypto").then((c) => c.generateKeyPairSync("rsa", { modulusLength: 2048 }));
  const msg = Buffer.alloc(300, 1);
  const rawSig = nodeSign("sha256", msg, privateKey);
  const rawKey = createPublicKey(privateKey);
  const rawOp = async () => {
    if (!verify("sha256", msg, rawKey, rawSig)) throw new Error("raw verify failed");
  };
  const rawName = "raw RSA-2048 PKCS#1 v1.5 verify (node:crypto)";
  const withName = "verifyCms + revocation (CRL, answers cached)";
  const noName = "verifyCms without revocation";
  const r = await interleaved(6, 500, {
    [rawName]: rawOp,
    [withName]: (i) => check(i, true),
    [noName]: (i) => check(i, false),
  });
  const raw = r[rawName]!;
  console.log(
    `ratio ${(r[withName]! / raw).toFixed(2)} (goal ≥ 0.50) with revocation; ${(r[noName]! / raw).toFixed(2)} without`,
  );
  await new Promise<void>((r) => server.close(() => r()));
}

await main();
