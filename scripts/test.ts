/**
 * npm test — everything, on a fresh machine too:
 *   system packages (Chromium, SoftHSM2) → lint → import rules → typecheck → vitest → next build → Playwright.
 * Ends with one line `N passed, N failed` summed over all runners (what CI reads) and exits
 * non-zero on any failure. Lint, the import rules and typecheck count as one check each.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";

type Tally = { name: string; passed: number; failed: number; skipped: number; seconds: number };
const tallies: Tally[] = [];
const isRoot = typeof process.getuid === "function" && process.getuid() === 0;

function run(cmd: string, args: string[], env: Record<string, string> = {}): { ok: boolean; seconds: number } {
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, ...env } });
  return { ok: r.status === 0, seconds: (Date.now() - started) / 1000 };
}

function heading(text: string) {
  console.log(`\n━━ ${text} ${"━".repeat(Math.max(0, 70 - text.length))}`);
}

function ensureSystemPackages() {
  const wanted: { pkg: string; probe: string }[] = [
    { pkg: "chromium", probe: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" },
    { pkg: "softhsm2", probe: "/usr/lib/softhsm/libsofthsm2.so" },
    { pkg: "libnss3-tools", probe: "/usr/bin/certutil" },
  ];
  const missing = wanted.filter((w) => !existsSync(w.probe)).map((w) => w.pkg);
  if (missing.length === 0) return;
  if (isRoot) {
    console.log(`Installing system packages with apt-get: ${missing.join(", ")} (not found on this machine)`);
    run("apt-get", ["update", "-qq"]);
    const r = run("apt-get", ["install", "-y", "-qq", ...missing], { DEBIAN_FRONTEND: "noninteractive" });
    if (!r.ok) console.log(`apt-get could not install ${missing.join(", ")}; the tests that need them will fail.`);
  } else if (missing.includes("chromium")) {
    console.log("Chromium not found and not root: installing Playwright's Chromium (npx playwright install chromium)");
    run("npx", ["playwright", "install", "chromium"]);
    console.log("Set CHROMIUM_PATH to the installed browser if it is not picked up.");
  }
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch {
    return undefined;
  }
}

function check(name: string, cmd: string, args: string[]) {
  heading(name);
  const r = run(cmd, args);
  tallies.push({ name, passed: r.ok ? 1 : 0, failed: r.ok ? 0 : 1, skipped: 0, seconds: r.seconds });
}

function vitest() {
  heading("unit and integration tests (vitest)");
  const out = "reports/vitest.json";
  rmSync(out, { force: true });
  const r = run("npx", ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${out}`]);
  const report = readJson<{
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
    numFailedTestSuites: number;
  }>(out);
  if (!report) {
    tallies.push({ name: "vitest", passed: 0, failed: 1, skipped: 0, seconds: r.seconds });
    return;
  }
  // A file that fails to load has no failed test of its own: count it as a failure.
  const failed =
    report.numFailedTests + (report.numFailedTests === 0 && !r.ok ? Math.max(1, report.numFailedTestSuites) : 0);
  tallies.push({
    name: "vitest",
    passed: report.numPassedTests,
    failed,
    skipped: report.numPendingTests + report.numTodoTests,
    seconds: r.seconds,
  });
}

function e2e() {
  heading("production build (next build)");
  const build = run("npx", ["next", "build"], { NEXT_TELEMETRY_DISABLED: "1" });
  tallies.push({
    name: "next build",
    passed: build.ok ? 1 : 0,
    failed: build.ok ? 0 : 1,
    skipped: 0,
    seconds: build.seconds,
  });
  if (!build.ok) return;
  heading("end-to-end tests (Playwright, Chromium)");
  const out = "reports/playwright.json";
  rmSync(out, { force: true });
  const r = run("npx", ["playwright", "test", "-c", "e2e/playwright.config.ts"], { PLAYWRIGHT_JSON_OUTPUT_NAME: out });
  const report = readJson<{
    stats: { expected: number; unexpected: number; flaky: number; skipped: number };
    errors?: unknown[];
  }>(out);
  if (!report) {
    tallies.push({ name: "playwright", passed: 0, failed: 1, skipped: 0, seconds: r.seconds });
    return;
  }
  const globalErrors = report.errors?.length ?? 0;
  tallies.push({
    name: "playwright",
    passed: report.stats.expected + report.stats.flaky,
    failed: report.stats.unexpected + globalErrors + (r.ok || report.stats.unexpected + globalErrors > 0 ? 0 : 1),
    skipped: report.stats.skipped,
    seconds: r.seconds,
  });
}

mkdirSync("reports", { recursive: true });
ensureSystemPackages();
const only = process.argv[2];
if (!only || only === "static") {
  check("lint (biome)", "npx", ["biome", "check", "."]);
  check("import rules", "npx", ["tsx", "scripts/check-imports.ts"]);
  check("typecheck (tsc)", "npx", ["tsc", "--noEmit"]);
}
if (!only || only === "unit") vitest();
if (!only || only === "e2e") e2e();

heading("summary");
for (const t of tallies) {
  console.log(
    `  ${t.name.padEnd(22)} ${String(t.passed).padStart(5)} passed ${String(t.failed).padStart(4)} failed  (${t.seconds.toFixed(0)} s)`,
  );
}
const passed = tallies.reduce((s, t) => s + t.passed, 0);
const failed = tallies.reduce((s, t) => s + t.failed, 0);
const skipped = tallies.reduce((s, t) => s + t.skipped, 0);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 ? 1 : 0);
