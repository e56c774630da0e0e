/**
 * Benchmark: server-side card logins per second — the whole `verifyCardLogin` as next-auth runs
 * it: consume the session-bound challenge (PostgreSQL), parse and purpose-check the auth
 * certificate, path to the two auth root generations, RSASSA-PKCS1-v1_5 signature over
 * hash(origin) ‖ hash(nonce), OCSP over real HTTP to the simulated J-LIS (no cache: a login must
 * see same-day revocations), the CertificateBinding lookup and the hash-chained audit event.
 *
 * Baseline (same run): raw RSA-2048 PKCS#1 v1.5 verifications per second with node:crypto, the
 * floor of any login. Prints sequential and concurrent (8 in flight) throughput, p50/p95 latency,
 * and each as a ratio to the baseline. Not a test: no assertions.
 * Run: npx tsx bench/login-verify.ts
 */
import "reflect-metadata";
import { createPublicKey, verify, webcrypto } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { issueChallenge } from "../lib/auth/challenge";
import { makeToken, PORTAL, startJpkiWorld } from "../test/auth/jpki-world";
import { verifyCardLogin } from "../lib/auth/verify-card-login";
import { canonicalSerial } from "../lib/jpki/serial";
import { createPrismaClient } from "../lib/db/client";
import { startEmbeddedPostgres } from "../lib/db/embedded";
import { migrate } from "../lib/db/migrate";
import { parseCertificate } from "../lib/jpki/certificate";
import type { IssuedToken } from "../jlis-sim/jlis";
import { seedResident } from "../prisma/seed/factories";

const CARDS = 12;
const SECONDS = 5;
const BINDING = "bench-browser-binding-0123456789abcdef0123456789";

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "ichimai-bench-login-"));
  const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), port: await freePort() });
  await migrate(pg.url, path.resolve("prisma/migrations"));
  const prisma = createPrismaClient(pg.url);
  const world = await startJpkiWorld();
  try {
    const ctx = world.context(prisma);
    const cards: IssuedToken[] = [];
    for (let i = 0; i < CARDS; i++) {
      const resident = await seedResident(prisma);
      const card = await world.issueCardFor(resident);
      const cert = parseCertificate(card.auth.certificate);
      await prisma.certificateBinding.create({
        data: {
          residentId: resident.id,
          kind: "AUTH",
          issuerDn: cert.issuer.text,
          serialNumber: canonicalSerial(cert.serialHex),
          fingerprint: cert.fingerprint,
          notBefore: cert.notBefore,
          notAfter: cert.notAfter,
        },
      });
      cards.push(card);
    }

    // The browser's share (challenge request and card signature) is prepared outside the timing.
    const prepare = async (i: number) => {
      // One binding issues every challenge here: no issuance limit (the browser side is not timed).
      const { nonce } = await issueChallenge(prisma, { binding: BINDING, origin: PORTAL, limits: null });
      return { nonce, token: await makeToken(cards[i % CARDS]!.auth, nonce) };
    };
    const run = async (concurrency: number) => {
      const latencies: number[] = [];
      let done = 0;
      const deadline = performance.now() + SECONDS * 1000;
      const worker = async (w: number) => {
        let i = w;
        while (performance.now() < deadline) {
          const { nonce, token } = await prepare(i++);
          const t0 = performance.now();
          await verifyCardLogin(ctx, { token, nonce, binding: BINDING, requestOrigin: PORTAL });
          latencies.push(performance.now() - t0);
          done++;
        }
      };
      const started = performance.now();
      await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
      const busy = latencies.reduce((a, b) => a + b, 0) / 1000 / concurrency;
      latencies.sort((a, b) => a - b);
      return {
        perSecond: done / busy,
        wall: (performance.now() - started) / 1000,
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        n: done,
      };
    };

    // Baseline: raw RSA-2048 PKCS#1 v1.5 verification, node:crypto, same process and moment.
    const message = new Uint8Array(64).fill(7);
    const key = cards[0]!.auth;
    const signature = new Uint8Array(
      await webcrypto.subtle.sign({ name: "RSASSA-PKCS1-v1_5" }, key.privateKey, message),
    );
    const publicKey = createPublicKey({
      key: Buffer.from(parseCertificate(key.certificate).spki),
      format: "der",
      type: "spki",
    });
    let raw = 0;
    const rawEnd = performance.now() + 2000;
    const rawStart = performance.now();
    while (performance.now() < rawEnd) {
      if (!verify("sha256", message, publicKey, signature)) throw new Error("baseline signature did not verify");
      raw++;
    }
    const rawPerSecond = raw / ((performance.now() - rawStart) / 1000);

    await run(1); // warm-up: JIT, connection pool, OCSP keep-alive
    const seq = await run(1);
    const par = await run(8);
    const fmt = (n: number) => n.toFixed(1);
    console.log(`baseline  raw RSA-2048 verify: ${fmt(rawPerSecond)} /s`);
    console.log(
      `login     sequential:   ${fmt(seq.perSecond)} logins/s  p50 ${fmt(seq.p50)} ms  p95 ${fmt(seq.p95)} ms  (n=${seq.n})  ratio to baseline ${(seq.perSecond / rawPerSecond).toFixed(4)}`,
    );
    console.log(
      `login     8 in flight:  ${fmt(par.n / SECONDS)} logins/s wall  p50 ${fmt(par.p50)} ms  p95 ${fmt(par.p95)} ms  (n=${par.n})  ratio to baseline ${(par.n / SECONDS / rawPerSecond).toFixed(4)}`,
    );
  } finally {
    await world.close();
    await prisma.$disconnect();
    await pg.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
