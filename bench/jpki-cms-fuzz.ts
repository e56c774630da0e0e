/**
 * Benchmark: the verifyCms mutation property at scale — 100,000 random inputs (random bytes, or
 * a valid CAdES-BES SignedData with bytes overwritten, cut or inserted), none of which may verify
 * unless unchanged, nor throw anything but an AppError; mutated inputs per second against
 * verifications per second of the unchanged SignedData (the baseline, same run).
 *
 * CI runs the same property with 1,000 inputs and a fixed seed (lib/jpki/fuzz.test.ts); this run
 * takes a random seed and prints it, so a counterexample is reproducible with `--seed N`.
 * Exit code 1 on a counterexample.
 * Run: npx tsx bench/jpki-cms-fuzz.ts [--runs 100000] [--seed N]
 */
import "reflect-metadata";
import fc from "fast-check";
import { AppError } from "@/lib/errors/app-error";
import { verifyCms } from "@/lib/jpki";
import { NOW } from "@/test/jpki/fixtures";
import { mutationsOf, signingSeeds } from "@/test/jpki/mutations";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const runs = Number(arg("--runs") ?? 100_000);
  const seed = Number(arg("--seed") ?? Math.floor(Math.random() * 2 ** 31));
  const { ca, cms } = await signingSeeds();
  const verify = (b: Uint8Array) => verifyCms({ signedData: b, trustAnchors: [ca.certificate], time: NOW });

  // Baseline: the unchanged SignedData, verified over and over.
  const baselineRuns = 2_000;
  let t = performance.now();
  for (let i = 0; i < baselineRuns; i++) if (!(await verify(cms)).valid) throw new Error("the seed does not verify");
  const baselinePerSecond = baselineRuns / ((performance.now() - t) / 1000);

  let valid = 0;
  let refusedMalformed = 0;
  t = performance.now();
  const result = await fc.check(
    fc.asyncProperty(
      mutationsOf(() => cms),
      async (b) => {
        try {
          const r = await verify(b);
          if (r.valid) {
            valid += 1;
            return Buffer.from(b).equals(Buffer.from(cms));
          }
        } catch (err) {
          if (!(err instanceof AppError)) return false;
          refusedMalformed += 1;
        }
        return true;
      },
    ),
    { numRuns: runs, seed },
  );
  const seconds = (performance.now() - t) / 1000;
  const perSecond = result.numRuns / seconds;
  console.log(`verifyCms mutation property, seed ${seed}`);
  console.log(`  runs                   ${result.numRuns.toLocaleString("en")} in ${seconds.toFixed(1)} s`);
  console.log(`  refused as malformed   ${refusedMalformed.toLocaleString("en")}`);
  console.log(`  valid (only unchanged) ${valid.toLocaleString("en")}`);
  console.log(`  inputs/s               ${perSecond.toFixed(0)}`);
  console.log(`  baseline verifies/s    ${baselinePerSecond.toFixed(0)} (the unchanged SignedData)`);
  console.log(`  ratio                  ${(perSecond / baselinePerSecond).toFixed(2)}`);
  if (result.failed) {
    console.log(`COUNTEREXAMPLE after ${result.numRuns} runs: ${fc.defaultReportMessage(result)}`);
    process.exit(1);
  }
  console.log("no counterexample");
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
