/**
 * Benchmark: one change-check cycle (変更確認) over 100,000 watched signing certificates
 * against a 1,000,000-entry CRL.
 *   cycle    — runChangeCheckCycle (lib/platform/change): read the 100,000 ACTIVE watches from
 *              PostgreSQL, download the CRL from the J-LIS server over HTTP, verify and stream-scan
 *              it, confirm each of the 100 hits by OCSP at the simulated J-LIS, and record 100
 *              revocations (watch update + certificate.revoked event) in their transactions;
 *   baseline — the bare CRL scan: the same HTTP download and checkWatchedSerials with the same
 *              100,000 serials held in memory (no database, no OCSP, no events).
 * Each runs in its own process under /usr/bin/time -v (wall time, peak RSS); median of 3.
 * Needs no setup: an embedded PostgreSQL in a temporary directory (or BENCH_DATABASE_URL).
 * Not a test: no assertions.
 *
 * Run: npx tsx bench/platform-change-check.ts
 */
import "reflect-metadata";
import { spawn } from "node:child_process";
import { webcrypto } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { DEMO_MUNICIPALITY } from "@/jlis-sim/demo-cards";
import { createPrismaClient } from "@/lib/db/client";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { checkWatchedSerials } from "@/lib/jpki/crl";
import { buildCrl } from "@/jlis-sim/ca/ca";
import { createJlisHandler } from "@/jlis-sim/http/http";
import { SimulatedJlis } from "@/jlis-sim/jlis";
import { startJlisServer } from "@/jlis-sim/http/server";
import { MemoryJlisStore } from "@/jlis-sim/store";
import { runChangeCheckCycle } from "@/lib/platform/change/run-change-check-cycle";
import { sha256Hex } from "@/lib/crypto/sha256";
import { createJlisClient } from "@/lib/jlis/client";
import { DEFAULT_WEBHOOK_SETTINGS } from "@/lib/platform/platform-context";
import { seedPartner, seedPartnerCredential } from "../prisma/seed/factories";

const CRL_ENTRIES = 1_000_000;
const WATCHED = 100_000;
const HITS = 100;
const RUNS = 3;
const CRL_PATH = "bench/sign.crl";

type TConfig = {
  databaseUrl: string;
  jlisBaseUrl: string;
  verifierId: string;
  verifierSecret: string;
  caFile: string;
  respondersFile: string;
  serialsFile: string;
};

function loadConfig(file: string): TConfig {
  return JSON.parse(readFileSync(file, "utf8")) as TConfig;
}

function report(extra: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ ...extra, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
}

/** Child: the platform's cycle. The watches are reset to ACTIVE first (not timed), so each run has 100 hits. */
async function childCycle(config: TConfig): Promise<void> {
  const prisma = createPrismaClient(config.databaseUrl);
  await prisma.$executeRaw`UPDATE "CertificateWatch" SET status = 'ACTIVE', "revokedAt" = NULL, "revocationReason" = NULL`;
  await prisma.$executeRaw`TRUNCATE "WebhookEvent", "WebhookDelivery", "WebhookAttempt", "ChangeCheckRun"`;
  const ca = new Uint8Array(readFileSync(config.caFile));
  const responders = (JSON.parse(readFileSync(config.respondersFile, "utf8")) as string[]).map(
    (b) => new Uint8Array(Buffer.from(b, "base64")),
  );
  const ctx = {
    prisma,
    signTrustAnchors: [ca],
    jlis: createJlisClient({
      baseUrl: config.jlisBaseUrl,
      verifierId: config.verifierId,
      verifierSecret: config.verifierSecret,
      responderCertificates: responders,
      crlPaths: new Map([[sha256Hex(ca), CRL_PATH]]),
    }),
    webhooks: DEFAULT_WEBHOOK_SETTINGS,
  };
  const t0 = performance.now();
  const r = await runChangeCheckCycle(ctx);
  const ms = performance.now() - t0;
  await prisma.$disconnect();
  report({
    ...r.phasesMs,
    ms,
    watched: r.watched,
    entries: r.crlEntries,
    hits: r.crlHits,
    confirmed: r.confirmed,
    failures: r.failures.length,
  });
}

/** Child: the bare scan of the same CRL over the same HTTP, serials already in memory. */
async function childBaseline(config: TConfig): Promise<void> {
  const ca = new Uint8Array(readFileSync(config.caFile));
  const serials = JSON.parse(readFileSync(config.serialsFile, "utf8")) as string[];
  const jlis = createJlisClient({
    baseUrl: config.jlisBaseUrl,
    verifierId: config.verifierId,
    verifierSecret: config.verifierSecret,
  });
  const t0 = performance.now();
  const r = await checkWatchedSerials({
    crl: { url: `${jlis.baseUrl}/crl/${CRL_PATH}`, fetch: jlis.fetch },
    issuer: ca,
    watched: serials,
    now: new Date(),
  });
  report({ ms: performance.now() - t0, watched: serials.length, entries: r.entries, hits: r.revoked.size });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "platform-change-check-"));
  let stopPg = async () => {};
  try {
    let databaseUrl = process.env.BENCH_DATABASE_URL;
    if (!databaseUrl) {
      const handle = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), port: await freePort() });
      stopPg = handle.stop;
      databaseUrl = handle.url;
    }
    await migrate(databaseUrl, path.resolve("prisma/migrations"));

    // J-LIS: real CA, 100 residents whose signing certificates are revoked (a move) — the hits
    // OCSP must confirm — served over HTTP with the verifier check, plus the big CRL.
    const rsa = {
      name: "RSASSA-PKCS1-v1_5",
      hash: "SHA-256",
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
    };
    const gen = () => webcrypto.subtle.generateKey(rsa, true, ["sign", "verify"]) as Promise<CryptoKeyPair>;
    const [caKeys, holderKeys] = await Promise.all([
      Promise.all(Array.from({ length: 5 }, gen)),
      Promise.all(Array.from({ length: 4 }, gen)),
    ]);
    let k = 0;
    const jlis = await SimulatedJlis.initialize(new MemoryJlisStore(), {
      generations: 2,
      testHierarchy: false,
      keyPool: caKeys,
      generateKeyPair: async () => holderKeys[k++ % holderKeys.length]!,
      crlRebuildOnRevocation: false,
    });
    const verifier = { id: "bench-platform", secret: await jlis.registerVerifier("bench-platform") };
    const hits: string[] = [];
    for (let i = 0; i < HITS; i++) {
      const ref = `bench-${i}`;
      const card = await jlis.issueCard({
        residentRef: ref,
        facts: {
          name: `試験　${i}`,
          address: "徳島県一枚町本町一丁目１番地",
          dateOfBirth: "1980-04-01",
          gender: "female",
        },
        municipality: DEMO_MUNICIPALITY,
      });
      await jlis.changeFacts({ residentRef: ref, facts: { address: "徳島県一枚町栄町二丁目２番地" } });
      hits.push(card.sign!.serial);
    }
    const signCa = jlis.currentCa("sign");
    const now = new Date();
    const tb = performance.now();
    function* entries() {
      for (let i = 0; i < CRL_ENTRIES - HITS; i++) {
        yield {
          serialNumber: 0x7000000000000000n + BigInt(i) * 7919n,
          revokedAt: new Date(now.getTime() - (i % 86_400) * 1000),
          reason: "affiliationChanged" as const,
        };
      }
      for (const h of hits)
        yield {
          serialNumber: BigInt(`0x${h}`),
          revokedAt: new Date(now.getTime() - 60_000),
          reason: "affiliationChanged" as const,
        };
    }
    const crl = await buildCrl({
      ca: signCa,
      entries: entries(),
      thisUpdate: new Date(now.getTime() - 60_000),
      nextUpdate: new Date(now.getTime() + 86_400_000),
      crlNumber: 1n,
    });
    console.log(
      `built ${CRL_ENTRIES.toLocaleString()}-entry CRL: ${(crl.length / 1e6).toFixed(1)} MB in ${((performance.now() - tb) / 1000).toFixed(2)} s`,
    );
    const jlisHandler = createJlisHandler(jlis, {
      verifierCredentials: ({ clientId, secret }) => jlis.checkVerifier(clientId, secret),
    });
    const server = await startJlisServer(async (req) => {
      if (new URL(req.url).pathname === `/jlis/crl/${CRL_PATH}`) {
        const auth = req.headers.get("authorization") ?? "";
        const [id, secret] = Buffer.from(auth.replace(/^Basic /, ""), "base64")
          .toString()
          .split(":");
        if (!jlis.checkVerifier(id, secret ?? "")) return new Response("", { status: 401 });
        return new Response(new Uint8Array(crl), {
          headers: { "content-type": "application/pkix-crl", "content-length": String(crl.length) },
        });
      }
      return jlisHandler(req);
    });

    // 100,000 watches: the 100 revoked certificates and 99,900 that are not on the CRL.
    const serials = [...hits];
    for (let i = 0; serials.length < WATCHED; i++) serials.push((0x6000000000000000n + BigInt(i)).toString(16));
    const prisma = createPrismaClient(databaseUrl);
    const fp = sha256Hex(signCa.certificate);
    const issuerDn =
      "C=JP, O=JPKI, OU=JPKI for digital signature, OU=Japan Agency for Local Authority Information Systems";
    // The watches' parents (foreign keys): one partner, its credential and one verification.
    const partner = await seedPartner(prisma, { slug: "bench-platform" });
    const { credential } = await seedPartnerCredential(prisma, { partnerId: partner.id });
    const verification = await prisma.identityVerification.create({
      data: {
        partnerId: partner.id,
        credentialId: credential.id,
        purpose: "bench",
        status: "VERIFIED",
        checks: [],
        signerIssuerDn: issuerDn,
        signerSerialNumber: serials[0]!,
        signerIssuerFingerprint: fp,
        signerNotAfter: new Date(now.getTime() + 365 * 86_400_000),
        contentHash: "0".repeat(64),
      },
      select: { id: true },
    });
    const ti = performance.now();
    for (let i = 0; i < serials.length; i += 10_000) {
      await prisma.certificateWatch.createMany({
        data: serials.slice(i, i + 10_000).map((serialNumber) => ({
          partnerId: partner.id,
          credentialId: credential.id,
          verificationId: verification.id,
          issuerDn,
          issuerFingerprint: fp,
          serialNumber,
        })),
      });
    }
    await prisma.$disconnect();
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`VACUUM ANALYZE "CertificateWatch"`);
    await admin.end();
    console.log(`inserted ${WATCHED.toLocaleString()} watches in ${((performance.now() - ti) / 1000).toFixed(1)} s`);

    const config: TConfig = {
      databaseUrl,
      jlisBaseUrl: `${server.url}/jlis`,
      verifierId: verifier.id,
      verifierSecret: verifier.secret,
      caFile: path.join(dir, "ca.der"),
      respondersFile: path.join(dir, "responders.json"),
      serialsFile: path.join(dir, "serials.json"),
    };
    writeFileSync(config.caFile, signCa.certificate);
    writeFileSync(
      config.respondersFile,
      JSON.stringify([jlis.responderFor(signCa).certificate].map((d) => Buffer.from(d).toString("base64"))),
    );
    writeFileSync(config.serialsFile, JSON.stringify(serials));
    const configFile = path.join(dir, "config.json");
    writeFileSync(configFile, JSON.stringify(config));

    // The children talk to this process's J-LIS server, so they are spawned without blocking the loop.
    const base: TTimed[] = [];
    const cyc: TTimed[] = [];
    for (let i = 0; i < RUNS; i++) {
      base.push(await timedAsync("--baseline", configFile));
      cyc.push(await timedAsync("--cycle", configFile));
    }
    await server.close();
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const bIn = median(base.map((b) => b.inner.ms!)) / 1000;
    const cIn = median(cyc.map((c) => c.inner.ms!)) / 1000;
    const bRss = Math.max(...base.map((b) => b.maxRssMb));
    const cRss = Math.max(...cyc.map((c) => c.maxRssMb));
    const last = cyc[cyc.length - 1]!.inner;
    console.log(
      `baseline (HTTP download + verify + scan):      ${bIn.toFixed(2)} s, peak RSS ${bRss.toFixed(0)} MB (median of ${RUNS})`,
    );
    console.log(`change-check cycle (DB + scan + OCSP + events): ${cIn.toFixed(2)} s, peak RSS ${cRss.toFixed(0)} MB`);
    console.log(
      `  ${last.watched} watched, ${last.entries} CRL entries, ${last.hits} hits, ${last.confirmed} confirmed by OCSP, ${last.failures} failures`,
    );
    console.log(
      `  phases (last run): read watches ${(last.load! / 1000).toFixed(2)} s, CRL download + scan ${(last.scan! / 1000).toFixed(2)} s, OCSP + notifications ${(last.confirm! / 1000).toFixed(2)} s`,
    );
    console.log(`ratio cycle / bare scan: time ${(cIn / bIn).toFixed(2)}, peak RSS ${(cRss / bRss).toFixed(2)}`);
  } finally {
    await stopPg();
    rmSync(dir, { recursive: true, force: true });
  }
}

type TTimed = { wallS: number; maxRssMb: number; inner: Record<string, number> };

/** Runs a child under /usr/bin/time -v (wall time, peak RSS) without blocking this process's event loop. */
async function timedAsync(mode: string, configFile: string): Promise<TTimed> {
  const child = spawn("/usr/bin/time", [
    "-v",
    process.execPath,
    "--import",
    "tsx",
    import.meta.filename,
    mode,
    configFile,
  ]);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  if (code !== 0) throw new Error(`child ${mode} failed: ${stderr.slice(-3000)}`);
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(stderr);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  if (!wall || !rss) throw new Error("could not read /usr/bin/time output");
  return {
    wallS: Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]),
    maxRssMb: Number(rss[1]) / 1024,
    inner: JSON.parse(stdout.trim().split("\n").pop()!) as Record<string, number>,
  };
}

const mode = process.argv[2];
if (mode === "--cycle") await childCycle(loadConfig(process.argv[3]!));
else if (mode === "--baseline") await childBaseline(loadConfig(process.argv[3]!));
else await main();
