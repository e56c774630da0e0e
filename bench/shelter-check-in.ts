/**
 * Benchmark: shelter check-ins per second at one kiosk — the whole `checkInByTap` as
 * POST /api/terminal/shelter/check-ins runs it: the shelter of the device, the terminal challenge
 * consumed, the Web eID token parsed, path to the auth roots, RSA signature, OCSP over real HTTP to
 * the simulated J-LIS (no cache), the CertificateBinding lookup, then the check-in transaction
 * (shelter row FOR SHARE, the open check-in, the district's active order, the insert behind the
 * one-open-check-in index, the hash-chained audit event, the occupancy) and the household's names.
 * Each resident checks in once; one card tap per check-in, one at a time as at a real kiosk.
 *
 * Baseline (same run): the eligibility check of the same taps at a kiosk of the same partner
 * (`checkTerminalTap`: the same card verification and its audit event, no check-in). The ratio
 * (check-in / baseline) is what the check-in transaction adds to a tap. Not a test: no assertions.
 * Run: npx tsx bench/shelter-check-in.ts [taps, default 60]
 */
import "reflect-metadata";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createPrismaClient } from "../lib/db/client";
import { startEmbeddedPostgres } from "../lib/db/embedded";
import { migrate } from "../lib/db/migrate";
import { checkInByTap } from "../lib/disaster/shelters/terminal-check-in";
import type { TPlatformContext } from "../lib/platform/platform-context";
import type { TTerminalDevice } from "../lib/platform/terminals/authenticate-terminal-device";
import { checkTerminalTap, startTerminalTap } from "../lib/platform/terminals/terminal-tap";
import { seedStaffMember } from "../prisma/seed/factories";
import { makeToken } from "../test/auth/jpki-world";
import { PORTAL, startPlatformWorld } from "../test/platform/platform-world";
import { enrolledKiosk } from "../test/platform/terminal-world";
import { freePort, percentile } from "./bench-util";

type TRun = { perSecond: number; p50: number; p95: number; n: number };

async function timed(n: number, op: (i: number) => Promise<unknown>): Promise<TRun> {
  const latencies: number[] = [];
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await op(i);
    latencies.push(performance.now() - t0);
  }
  const wall = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { perSecond: n / wall, p50: percentile(latencies, 50), p95: percentile(latencies, 95), n };
}

const fmt = (r: TRun) =>
  `${r.perSecond.toFixed(1).padStart(7)} /s  p50 ${r.p50.toFixed(1)} ms  p95 ${r.p95.toFixed(1)} ms  (n=${r.n})`;

async function main(): Promise<void> {
  const taps = Math.max(5, Number(process.argv[2] ?? 60) || 60);
  const dir = await mkdtemp(path.join(os.tmpdir(), "ichimai-bench-shelter-"));
  const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), port: await freePort() });
  const world = await startPlatformWorld();
  const prisma = createPrismaClient(pg.url);
  try {
    await migrate(pg.url, path.resolve("prisma/migrations"));
    const ctx: TPlatformContext = world.context(prisma);
    const town = await world.partner(prisma, { kind: "HOSPITAL", scopes: ["eligibility:verify"] });
    const people: Awaited<ReturnType<typeof world.resident>>[] = [];
    for (let i = 0; i < taps; i++) people.push(await world.resident(prisma));
    const districtId = people[0]!.resident.districtId;
    const shelter = await prisma.shelter.create({
      data: {
        code: "BENCH-SH",
        name: "ベンチ避難所",
        nameEn: "Bench shelter",
        kind: "DESIGNATED",
        districtId,
        address: "一枚町",
        latitude: 33.92,
        longitude: 134.64,
        capacity: taps,
        partnerId: town.partnerId,
        open: true,
      },
    });
    const staff = await seedStaffMember(prisma, { roles: ["DISASTER_OFFICER"] });
    await prisma.evacuationOrder.create({
      data: { districtId, hazard: "FLOOD", level: 4, message: "避難", issuedById: staff.id },
    });
    const kiosk: TTerminalDevice = await enrolledKiosk(prisma, {
      partner: town.partnerId,
      label: shelter.code,
      mode: "SHELTER",
    });
    const reader: TTerminalDevice = await enrolledKiosk(prisma, {
      partner: town.partnerId,
      label: "受付",
      mode: "HOSPITAL",
    });
    const tap = async (device: TTerminalDevice, i: number) => {
      const c = await startTerminalTap(ctx, { device });
      const token = await makeToken(people[i % people.length]!.card.auth, c.nonce, PORTAL);
      return { terminalBinding: c.terminalBinding, request: { nonce: c.nonce, token } };
    };
    // Warm-up (JIT, connection pool, OCSP responder): a few eligibility checks.
    for (let i = 0; i < 3; i++) await checkTerminalTap(ctx, { device: reader, ...(await tap(reader, i)) });

    const baseline = await timed(taps, async (i) => {
      const t = await tap(reader, i);
      const r = await checkTerminalTap(ctx, { device: reader, ...t });
      if (!r.checkedAt) throw new Error("no answer");
    });
    const checkIns = await timed(taps, async (i) => {
      const t = await tap(kiosk, i);
      const r = await checkInByTap(ctx, { device: kiosk, ...t });
      if (r.occupancy !== i + 1) throw new Error(`occupancy ${r.occupancy} after ${i + 1} check-ins`);
    });
    const open = await prisma.shelterCheckIn.count({ where: { shelterId: shelter.id, checkedOutAt: null } });
    console.log(`baseline  eligibility check by tap (same verification): ${fmt(baseline)}`);
    console.log(`shelter   check-in by tap (verification + transaction): ${fmt(checkIns)}`);
    console.log(`ratio     check-in / eligibility check: ${(checkIns.perSecond / baseline.perSecond).toFixed(2)}×`);
    console.log(`          ${open} residents checked in, each once`);
  } finally {
    await prisma.$disconnect();
    await world.close();
    await pg.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
