import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runTsxScript } from "../test/run-script";
import { listBenchmarks } from "./run";

describe("npm run bench (bench/run.ts)", () => {
  it("finds exactly the benchmarks the README's table lists", () => {
    const readme = readFileSync("README.md", "utf8");
    const listed = [...readme.matchAll(/^\| `bench\/([a-z0-9-]+)\.ts` \|/gm)].map((m) => m[1]).sort();
    expect(listed.length).toBeGreaterThan(5);
    expect(listBenchmarks().map((b) => b.name)).toEqual(listed);
  });

  it("lists them with no argument and refuses an unknown name with exit code 2", async () => {
    const list = await runTsxScript("bench/run.ts", [], { timeoutMs: 30_000 });
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^ {2}mailbox-deliver {2,}signed mailbox deliveries per second$/m);
    const unknown = await runTsxScript("bench/run.ts", ["no-such-bench"], { timeoutMs: 30_000 });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no benchmark "no-such-bench"');
  });
});
