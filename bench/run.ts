/**
 * npm run bench — the benchmark runner.
 *   npm run bench                     list the benchmarks (every bench/*.ts whose doc comment
 *                                     starts with "Benchmark:") with their first line
 *   npm run bench -- <name> [args…]   run one (bench/<name>.ts), passing the arguments on
 *   npm run bench -- --all            run every one in turn (long: the inbox load alone takes
 *                                     minutes) and print each one's exit code at the end
 * Each benchmark prints its own figures and its ratio to a baseline measured in the same run.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));

type TBench = { name: string; summary: string };

/** The benchmarks in bench/, each with the first sentence of its doc comment. */
export function listBenchmarks(dir = BENCH_DIR): TBench[] {
  const benches: TBench[] = [];
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith(".ts") || file === "run.ts") continue;
    const head = /^\/\*\*\s*\n\s*\*\s*Benchmark:\s*([\s\S]*?)(?:\n\s*\*\s*\n|\*\/)/.exec(
      readFileSync(path.join(dir, file), "utf8"),
    );
    if (!head) continue;
    const text = head[1]!
      .replace(/\n\s*\*\s*/g, " ")
      .replace(/\s+/g, " ")
      .trim();
    // Up to the first full stop, colon or dash that ends the opening clause.
    const summary = /^(.*?)(?:[.:](?:\s|$)| — | \()/.exec(text)?.[1] ?? text;
    benches.push({ name: file.replace(/\.ts$/, ""), summary });
  }
  return benches;
}

function runOne(name: string, args: string[]): number {
  const r = spawnSync("npx", ["tsx", path.join(BENCH_DIR, `${name}.ts`), ...args], { stdio: "inherit" });
  return r.status ?? 1;
}

function main(argv: string[]): number {
  const benches = listBenchmarks();
  const [first, ...rest] = argv;
  if (!first) {
    console.log("Benchmarks (npm run bench -- <name> [args], or --all):\n");
    for (const b of benches) console.log(`  ${b.name.padEnd(24)} ${b.summary}`);
    return 0;
  }
  if (first === "--all") {
    const codes = benches.map((b) => {
      console.log(`\n━━ bench/${b.name}.ts ━━`);
      return { name: b.name, code: runOne(b.name, []) };
    });
    console.log("\n━━ benchmarks ━━");
    for (const c of codes) console.log(`  ${c.name.padEnd(24)} ${c.code === 0 ? "ran" : `exit ${c.code}`}`);
    return codes.every((c) => c.code === 0) ? 0 : 1;
  }
  if (!benches.some((b) => b.name === first)) {
    console.error(`✖ no benchmark "${first}"; npm run bench lists them`);
    return 2;
  }
  return runOne(first, rest);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
