/**
 * Shared timing helpers of the JPKI benchmarks (bench/jpki-*.ts, bench/crl-*.ts). Not a
 * benchmark itself.
 */

/** Operations per second of `op`, timed over `ms` milliseconds. */
export async function timeOps(
  ms: number,
  op: (i: number) => Promise<void>,
  from: number,
): Promise<{ n: number; ms: number }> {
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < ms) await op(from + n++);
  return { n, ms: performance.now() - start };
}

/**
 * Interleaves the measurements in short rounds so that load from other processes on this shared
 * machine falls on the baseline and the candidates alike.
 */
export async function interleaved(
  rounds: number,
  ms: number,
  ops: Record<string, (i: number) => Promise<void>>,
): Promise<Record<string, number>> {
  const acc: Record<string, { n: number; ms: number }> = {};
  for (let r = 0; r < rounds; r++) {
    for (const [name, op] of Object.entries(ops)) {
      const a = acc[name] ?? { n: 0, ms: 0 };
      acc[name] = a;
      const t = await timeOps(ms, op, a.n);
      a.n += t.n;
      a.ms += t.ms;
    }
  }
  const out: Record<string, number> = {};
  for (const [name, a] of Object.entries(acc)) {
    out[name] = a.n / (a.ms / 1000);
    console.log(
      `${name.padEnd(56)} ${out[name]!.toFixed(0).padStart(7)} /s  (${a.n} in ${(a.ms / 1000).toFixed(1)} s)`,
    );
  }
  return out;
}

/** Operations per second of `op` run by `concurrency` workers for `ms` milliseconds. */
export async function concurrently(
  name: string,
  ms: number,
  concurrency: number,
  op: (i: number) => Promise<void>,
): Promise<number> {
  let done = 0;
  const start = performance.now();
  const worker = async () => {
    while (performance.now() - start < ms) await op(done++);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const perSec = done / ((performance.now() - start) / 1000);
  console.log(
    `${name.padEnd(56)} ${perSec.toFixed(0).padStart(7)} /s  (${done} in ${(ms / 1000).toFixed(1)} s, concurrency ${concurrency})`,
  );
  return perSec;
}
