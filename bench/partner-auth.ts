/**
 * Benchmark: partner API authentication (lib/partners/api-secret-digest.ts,
 * verify-partner-credential.ts).
 *
 *   digest  — verifyApiSecret against an `hmac-sha256$` digest (HMAC-SHA256 + timingSafeEqual),
 *             one at a time; baseline (same run): the same call against a legacy `scrypt$16384$8$1`
 *             hash, what every /api/v1 request cost before. Ratio = digest / scrypt.
 *   full    — verifyPartnerCredential as withPartner calls it (credential by clientId and its
 *             partner, digest check, scope filter; lastUsedAt is written at most once a minute),
 *             sequential and 8 in flight, against an embedded PostgreSQL; refusals of an unknown
 *             client id and of a wrong secret (the p50 difference is the timing left between
 *             them), and of a wrong secret on a row still holding a legacy scrypt hash (the CPU
 *             any caller could burn per request before). Baseline (same run): a bare one-row
 *             `findUnique` by clientId, the floor of one database round trip.
 *
 * Not a test: no assertions. Run: npx tsx bench/partner-auth.ts
 */
import "reflect-metadata";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createPrismaClient } from "../lib/db/client";
import { startEmbeddedPostgres } from "../lib/db/embedded";
import { migrate } from "../lib/db/migrate";
import { digestApiSecret, verifyApiSecret } from "../lib/partners/api-secret-digest";
import { API_SECRET_SCRYPT, hashSecret } from "../lib/partners/secret-hash";
import { verifyPartnerCredential } from "../lib/partners/verify-partner-credential";
import { seedPartner, seedPartnerCredential } from "../prisma/seed/factories";
import { freePort, percentile } from "./bench-util";

const SECONDS = 3;
const SECRET = `ich_secret_${Buffer.alloc(32, 5).toString("base64url")}`;

type TRun = { perSecond: number; p50: number; p95: number; n: number };

/** Calls `op` from `concurrency` loops for SECONDS; throughput over the wall clock. */
async function measure(op: (i: number) => Promise<unknown>, concurrency = 1, seconds = SECONDS): Promise<TRun> {
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const loop = async (w: number) => {
    for (let i = w; performance.now() < deadline; i += concurrency) {
      const t0 = performance.now();
      await op(i);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => loop(w)));
  const wall = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    perSecond: latencies.length / wall,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    n: latencies.length,
  };
}

const fmt = (r: TRun) =>
  `${r.perSecond.toFixed(0).padStart(8)} /s  p50 ${r.p50.toFixed(3)} ms  p95 ${r.p95.toFixed(3)} ms  (n=${r.n})`;

const refused = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error("expected a refusal");
    },
    () => undefined,
  );

async function main(): Promise<void> {
  // 1. The check alone.
  const digest = digestApiSecret(SECRET);
  const legacy = await hashSecret(SECRET, API_SECRET_SCRYPT);
  if (!(await verifyApiSecret(SECRET, digest)).ok || !(await verifyApiSecret(SECRET, legacy)).ok) {
    throw new Error("bench secrets do not verify");
  }
  await measure(() => verifyApiSecret(SECRET, digest), 1, 0.5); // warm-up
  const scryptRun = await measure(() => verifyApiSecret(SECRET, legacy));
  const digestRun = await measure(() => verifyApiSecret(SECRET, digest));
  console.log(`baseline  legacy scrypt N=2^14 verify: ${fmt(scryptRun)}`);
  console.log(
    `digest    hmac-sha256 verify:          ${fmt(digestRun)}  ratio to baseline ${(digestRun.perSecond / scryptRun.perSecond).toFixed(0)}×`,
  );

  // 2. Whole verifyPartnerCredential against PostgreSQL.
  const dir = await mkdtemp(path.join(os.tmpdir(), "ichimai-bench-partner-auth-"));
  const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), port: await freePort() });
  const prisma = createPrismaClient(pg.url);
  try {
    await migrate(pg.url, path.resolve("prisma/migrations"));
    const partner = await seedPartner(prisma, { approvedScopes: ["documents:deliver", "documents:status"] });
    const creds: Awaited<ReturnType<typeof seedPartnerCredential>>[] = [];
    for (let i = 0; i < 8; i++) creds.push(await seedPartnerCredential(prisma, { partnerId: partner.id }));
    const old = await seedPartnerCredential(prisma, { partnerId: partner.id });
    await prisma.partnerCredential.update({
      where: { id: old.credential.id },
      data: { secretHash: await hashSecret(old.clientSecret, API_SECRET_SCRYPT) },
    });
    const cred = (i: number) => creds[i % creds.length]!;
    const verify = (i: number) =>
      verifyPartnerCredential(prisma, {
        clientId: cred(i).credential.clientId,
        clientSecret: cred(i).clientSecret,
        requiredScope: "documents:deliver",
      });
    // One indexed row by clientId, one round trip: the floor of any lookup.
    const lookup = (i: number) =>
      prisma.partnerCredential.findUnique({ where: { clientId: cred(i).credential.clientId }, select: { id: true } });

    await measure(verify, 8, 1); // warm-up: pool, plans, lastUsedAt written once
    const bareSeq = await measure(lookup);
    const bare8 = await measure(lookup, 8);
    const seq = await measure(verify);
    const par = await measure(verify, 8);
    const unknown = await measure(() =>
      refused(verifyPartnerCredential(prisma, { clientId: "ich_test_000000000000000000000000", clientSecret: SECRET })),
    );
    const wrongDigest = await measure((i) =>
      refused(verifyPartnerCredential(prisma, { clientId: cred(i).credential.clientId, clientSecret: SECRET })),
    );
    const wrongLegacy = await measure(() =>
      refused(verifyPartnerCredential(prisma, { clientId: old.credential.clientId, clientSecret: SECRET })),
    );
    const ratio = (r: TRun, base: TRun) => (r.perSecond / base.perSecond).toFixed(2);
    console.log(`baseline  bare findUnique, sequential:  ${fmt(bareSeq)}`);
    console.log(`baseline  bare findUnique, 8 in flight: ${fmt(bare8)}`);
    console.log(`full      verify, sequential:           ${fmt(seq)}  ratio to baseline ${ratio(seq, bareSeq)}`);
    console.log(`full      verify, 8 in flight:          ${fmt(par)}  ratio to baseline ${ratio(par, bare8)}`);
    console.log(
      `refused   unknown client id:            ${fmt(unknown)}  ratio to baseline ${ratio(unknown, bareSeq)}`,
    );
    console.log(
      `refused   wrong secret, digest row:     ${fmt(wrongDigest)}  ratio to baseline ${ratio(wrongDigest, bareSeq)}`,
    );
    console.log(
      `refused   wrong secret, legacy row:     ${fmt(wrongLegacy)}  ratio to baseline ${ratio(wrongLegacy, bareSeq)}`,
    );
    console.log(
      `timing    p50 unknown id − p50 wrong secret (digest row): ${((unknown.p50 - wrongDigest.p50) * 1000).toFixed(0)} µs`,
    );
  } finally {
    await prisma.$disconnect();
    await pg.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
