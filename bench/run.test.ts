import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { listBenchmarks } from "./run";

const TSX = path.resolve("node_modules/.bin/tsx");

function runBench(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(TSX, ["bench/run.ts", ...args], { timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe("npm run bench (bench/run.ts)", () => {
  it("finds exactly the benchmarks the README's table lists", () => {
    const readme = readFileSync("README.md", "utf8");
    const listed = [...readme.matchAll(/^\| `bench\/([a-z0-9-]+)\.ts` \|/gm)].map((m) => m[1]).sort();
    expect(listed.length).toBeGreaterThan(5);
    expect(listBenchmarks().map((b) => b.name)).toEqual(listed);
  });

  it("lists them with no argument and refuses an unknown name with exit code 2", async () => {
    const list = await runBench([]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^ {2}mailbox-deliver {2,}signed mailbox deliveries per second$/m);
    const unknown = await runBench(["no-such-bench"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no benchmark "no-such-bench"');
  });
});
