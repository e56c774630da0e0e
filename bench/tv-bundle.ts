/**
 * Benchmark: first-load JavaScript of /tv (gzip) against its 100 KB budget and against the portal
 * home page (/), both read from the same `next build` output (.next).
 *
 * A route's first-load JS is what its HTML makes the browser fetch before it is interactive: the
 * framework's root chunks (build-manifest `rootMainFiles`) plus the entry chunks of every segment
 * of the route (the root layout, its error / not-found / global-error boundaries, the route's own
 * layouts and page — `entryJSFiles` of the route's client-reference manifest). Chunks loaded
 * later with a dynamic import (the card agent's client, only when a login starts) are not counted;
 * the legacy polyfills (`nomodule`) neither. Each chunk is gzipped at level 9, as a CDN would.
 *
 *   npx next build && npm run bench -- tv-bundle
 *
 * Exits 1 when /tv is over budget.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

const NEXT_DIR = path.resolve(process.argv[2] ?? ".next");
const BUDGET_BYTES = 100 * 1024;

/** The manifest of route `entry` (e.g. "/tv/page"): its client entry chunks by segment. */
function entryChunks(entry: string): string[] {
  const file = path.join(NEXT_DIR, "server/app", `${entry}_client-reference-manifest.js`);
  if (!existsSync(file)) throw new Error(`no client-reference manifest for ${entry} (${file}): run \`npx next build\``);
  const sandbox: { __RSC_MANIFEST?: Record<string, { entryJSFiles?: Record<string, string[]> }> } = {};
  // The manifest is a script assigning globalThis.__RSC_MANIFEST[entry]; run it against a plain object.
  new Function("globalThis", readFileSync(file, "utf8"))(sandbox);
  const m = sandbox.__RSC_MANIFEST?.[entry];
  if (!m?.entryJSFiles) throw new Error(`the manifest of ${entry} lists no entry chunks`);
  return Object.values(m.entryJSFiles).flat();
}

function rootMainFiles(): string[] {
  const m = JSON.parse(readFileSync(path.join(NEXT_DIR, "build-manifest.json"), "utf8")) as {
    rootMainFiles: string[];
  };
  return m.rootMainFiles;
}

/** The page entry of a URL path (route groups such as "(public)" do not appear in URLs). */
function entryOf(route: string): string {
  const m = JSON.parse(readFileSync(path.join(NEXT_DIR, "app-path-routes-manifest.json"), "utf8")) as Record<
    string,
    string
  >;
  const entry = Object.entries(m).find(([e, r]) => r === route && e.endsWith("/page"))?.[0];
  if (!entry) throw new Error(`no page for ${route} in app-path-routes-manifest.json`);
  return entry;
}

type TSize = { route: string; chunks: number; raw: number; gzip: number };

function measure(route: string): TSize {
  return measureFiles(route, [...new Set([...rootMainFiles(), ...entryChunks(entryOf(route))])]);
}

function measureFiles(route: string, files: string[]): TSize {
  let raw = 0;
  let gzip = 0;
  for (const f of files) {
    const bytes = readFileSync(path.join(NEXT_DIR, f.replace(/^\/?_next\//, "")));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { route, chunks: files.length, raw, gzip };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

function main(): number {
  const tv = measure("/tv");
  const home = measure("/");
  // What every page of the app loads whatever it does: Next.js and React (rootMainFiles).
  const framework = measureFiles("(framework)", rootMainFiles());
  console.log(`first-load JS (gzip -9), from ${NEXT_DIR}`);
  for (const s of [tv, home, framework]) {
    console.log(`  ${s.route.padEnd(11)} ${kb(s.gzip).padStart(9)} gzip  (${kb(s.raw)} raw, ${s.chunks} chunks)`);
  }
  console.log(
    `  /tv vs budget 100 KB: ${(tv.gzip / BUDGET_BYTES).toFixed(2)}×  ${tv.gzip <= BUDGET_BYTES ? "within" : "OVER"}`,
  );
  console.log(`  /tv vs the home page: ${(tv.gzip / home.gzip).toFixed(2)}×`);
  console.log(`  /tv beyond the framework's own chunks: ${kb(tv.gzip - framework.gzip)}`);
  return tv.gzip <= BUDGET_BYTES ? 0 : 1;
}

process.exitCode = main();
