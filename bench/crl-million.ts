/**
 * Benchmark: a 1,000,000-entry CRL (docs/jpki.md#large-crls).
 *   ours    — load the DER file, verify its signature over the TBS bytes, scan once for 100,000
 *             watched serials (half of them on the list) with checkWatchedSerials (lib/jpki/crl.ts);
 *   openssl — `openssl crl -inform DER -noout -in <file>` on the same file (the baseline).
 * Both run as separate processes under /usr/bin/time -v for wall time and peak RSS.
 * Goals: our time ≤ 1.0× OpenSSL's, our peak RSS ≤ 300 MB. Not a test: no assertions.
 *
 * Run: npx tsx bench/crl-million.ts
 */
import "reflect-metadata";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { checkWatchedSerials } from "@/lib/jpki/crl";
import type { TRevocationReason } from "@/lib/jpki/revocation-reason";
import { buildCrl, createRootCa } from "@/jlis-sim/ca/ca";

const ENTRIES = 1_000_000;
const WATCHED = 100_000;
const NOW = new Date("2026-04-01T03:00:00Z");
const serialOf = (i: number) => 0x10000000n + BigInt(i) * 7919n;
const REASONS = [
  "keyCompromise",
  "affiliationChanged",
  "superseded",
  "cessationOfOperation",
] as const satisfies readonly TRevocationReason[];

/** Child mode: the measured work, in its own process. */
async function scan(dir: string): Promise<void> {
  const t0 = performance.now();
  const der = new Uint8Array(readFileSync(path.join(dir, "big.crl")));
  const issuer = new Uint8Array(readFileSync(path.join(dir, "ca.der")));
  const watched: bigint[] = [];
  // Every 20th listed serial (50,000 hits) plus 50,000 serials that are not listed.
  for (let i = 0; i < WATCHED / 2; i++) watched.push(serialOf(i * 20), serialOf(i * 20) + 1n);
  const r = await checkWatchedSerials({ crl: { bytes: der }, issuer, watched, now: NOW });
  const ms = performance.now() - t0;
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ ms, entries: r.entries, hits: r.revoked.size, maxRssMb })}\n`);
}

function timed(cmd: string, args: string[]): { wallS: number; maxRssMb: number; stdout: string } {
  const r = spawnSync("/usr/bin/time", ["-v", cmd, ...args], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr.slice(-2000)}`);
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(r.stderr);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  if (!wall || !rss) throw new Error("could not read /usr/bin/time output");
  const wallS = Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]);
  return { wallS, maxRssMb: Number(rss[1]) / 1024, stdout: r.stdout };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "crl-million-"));
  try {
    const ca = await createRootCa({
      purpose: "sign",
      generation: 1,
      notBefore: new Date("2020-01-01T00:00:00Z"),
      notAfter: new Date("2035-01-01T00:00:00Z"),
    });
    const tb = performance.now();
    function* entries() {
      for (let i = 0; i < ENTRIES; i++) {
        yield {
          serialNumber: serialOf(i),
          revokedAt: new Date(NOW.getTime() - (i % 86_400) * 1000),
          reason: REASONS[i % 4]!,
        };
      }
    }
    const der = await buildCrl({
      ca,
      entries: entries(),
      thisUpdate: new Date(NOW.getTime() - 3_600_000),
      nextUpdate: new Date(NOW.getTime() + 86_400_000),
      crlNumber: 1n,
    });
    writeFileSync(path.join(dir, "big.crl"), der);
    writeFileSync(path.join(dir, "ca.der"), ca.certificate);
    console.log(
      `built ${ENTRIES.toLocaleString()}-entry CRL: ${(der.length / 1e6).toFixed(1)} MB in ${((performance.now() - tb) / 1000).toFixed(2)} s (simulator)`,
    );

    const runs = 3;
    const openssl: ReturnType<typeof timed>[] = [];
    const ours: {
      proc: ReturnType<typeof timed>;
      inner: { ms: number; entries: number; hits: number; maxRssMb: number };
    }[] = [];
    for (let i = 0; i < runs; i++) {
      openssl.push(timed("openssl", ["crl", "-inform", "DER", "-noout", "-in", path.join(dir, "big.crl")]));
      const proc = timed(process.execPath, ["--import", "tsx", import.meta.filename, "--scan", dir]);
      ours.push({ proc, inner: JSON.parse(proc.stdout.trim().split("\n").pop()!) });
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const oWall = median(openssl.map((o) => o.wallS));
    const oRss = Math.max(...openssl.map((o) => o.maxRssMb));
    const pWall = median(ours.map((o) => o.proc.wallS));
    const inner = median(ours.map((o) => o.inner.ms)) / 1000;
    const pRss = Math.max(...ours.map((o) => o.proc.maxRssMb));
    const last = ours[ours.length - 1]!.inner;
    console.log(
      `openssl crl -noout:        ${oWall.toFixed(2)} s wall, peak RSS ${oRss.toFixed(0)} MB (median of ${runs})`,
    );
    console.log(
      `ours (load+verify+scan):   ${inner.toFixed(2)} s in-process, ${pWall.toFixed(2)} s whole process incl. node+tsx start-up, peak RSS ${pRss.toFixed(0)} MB`,
    );
    console.log(
      `  scanned ${last.entries.toLocaleString()} entries, ${WATCHED.toLocaleString()} watched serials, ${last.hits.toLocaleString()} revoked`,
    );
    console.log(
      `ratio ${(pWall / oWall).toFixed(2)} whole process / openssl (goal ≤ 1.00); in-process ${(inner / oWall).toFixed(2)}`,
    );
    console.log(`peak RSS ${pRss.toFixed(0)} MB (goal ≤ 300 MB); openssl ${oRss.toFixed(0)} MB`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === "--scan") await scan(process.argv[3]!);
else await main();
