/**
 * Benchmark: first-load JavaScript of each TV screen (gzip) against the 100 KB budget, beside the
 * portal home page (/), read from one `next build` output (.next).
 *
 * The TV's screens — /tv (the menu, and signed out the redirect to the login), /tv/mailbox,
 * /tv/mailbox/[id], /tv/health, /tv/order, /tv/order/done, /tv/language — are route handlers that
 * answer plain HTML (app/tv/_html/tv-screen.ts): the browser fetches no framework chunk, only the
 * one inline script, the remote-key navigation (app/tv/_html/tv-navigation.ts, inlined as
 * `(source)();` with the CSP nonce). For each of them the bench checks in the build that the URL
 * is a route handler (app-path-routes-manifest: `…/route`) with no client entry chunks, and counts
 * that script. The card login (/tv/login) stays an App Router page, because the card agent's
 * client runs in it: it is measured and shown, outside the budget.
 *
 * An App Router page's first-load JS is what its HTML makes the browser fetch before it is
 * interactive: the framework's root chunks (build-manifest `rootMainFiles`) plus the entry chunks
 * of every segment of the route (`entryJSFiles` of the route's client-reference manifest). Chunks
 * loaded later with a dynamic import are not counted; the legacy polyfills (`nomodule`) neither.
 * Everything is gzipped at level 9, as a CDN would.
 *
 * Then, unless `--no-server`, what the browser really fetches signed out: the bench starts
 * `next start` on a free port (no database: nobody signs in) and reads the HTML of /tv (a 303 to
 * /tv/login), /tv/login and /tv/language, summing every <script src> it loads and every inline
 * script. The signed-in screens need a card login: the e2e specs (e2e/tv/) check in the browser
 * that each of them loads no <script src> and one inline script.
 *
 *   npx next build && npm run bench -- tv-bundle [--no-server]
 *
 * Exits 1 when a TV screen under the budget is over it.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { tvNavigation } from "../app/tv/_html/tv-navigation";

const args = process.argv.slice(2);
const NEXT_DIR = path.resolve(args.find((a) => !a.startsWith("--")) ?? ".next");
const LIVE = !args.includes("--no-server");
const BUDGET_BYTES = 100 * 1024;

/** The TV's screens under the budget (URL paths as in app-path-routes-manifest). */
const TV_SCREENS = [
  "/tv",
  "/tv/mailbox",
  "/tv/mailbox/[id]",
  "/tv/health",
  "/tv/order",
  "/tv/order/done",
  "/tv/language",
] as const;

type TManifest = Record<string, { entryJSFiles?: Record<string, string[]> }>;

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(path.join(NEXT_DIR, file), "utf8")) as T;
}

/** The client-reference manifest of `entry` (e.g. "/tv/login/page"), or null when the build has none. */
function clientManifest(entry: string): TManifest[string] | null {
  const file = path.join(NEXT_DIR, "server/app", `${entry}_client-reference-manifest.js`);
  if (!existsSync(file)) return null;
  const sandbox: { __RSC_MANIFEST?: TManifest } = {};
  // The manifest is a script assigning globalThis.__RSC_MANIFEST[entry]; run it against a plain object.
  new Function("globalThis", readFileSync(file, "utf8"))(sandbox);
  return sandbox.__RSC_MANIFEST?.[entry] ?? null;
}

/** The build's entry of a URL path ("/tv/page" or "/tv/route"; route groups do not appear in URLs). */
function entryOf(route: string): string {
  const m = readJson<Record<string, string>>("app-path-routes-manifest.json");
  const entries = Object.entries(m)
    .filter(([, r]) => r === route)
    .map(([e]) => e);
  const entry = entries.find((e) => e.endsWith("/page")) ?? entries.find((e) => e.endsWith("/route"));
  if (!entry)
    throw new Error(`no page or route handler for ${route} in app-path-routes-manifest.json: run \`npx next build\``);
  return entry;
}

type TSize = { route: string; kind: string; scripts: number; raw: number; gzip: number };

function gzipOf(bytes: Buffer): number {
  return gzipSync(bytes, { level: 9 }).length;
}

function measureChunks(route: string, kind: string, files: string[]): TSize {
  let raw = 0;
  let gzip = 0;
  for (const f of files) {
    const bytes = readFileSync(path.join(NEXT_DIR, f.replace(/^\/?_next\//, "")));
    raw += bytes.length;
    gzip += gzipOf(bytes);
  }
  return { route, kind, scripts: files.length, raw, gzip };
}

/** An App Router page: the framework's root chunks and the route's entry chunks. */
function measurePage(route: string): TSize {
  const entry = entryOf(route);
  const m = clientManifest(entry);
  if (!m?.entryJSFiles) throw new Error(`the manifest of ${entry} lists no entry chunks`);
  const rootMainFiles = readJson<{ rootMainFiles: string[] }>("build-manifest.json").rootMainFiles;
  return measureChunks(route, "page", [...new Set([...rootMainFiles, ...Object.values(m.entryJSFiles).flat()])]);
}

/** The inline script of every plain-HTML TV screen, as tv-screen.ts builds it. */
const NAV_SCRIPT = Buffer.from(`(${tvNavigation.toString()})();`);

/** A plain-HTML TV screen: must be a route handler without client chunks; its JS is the inline script. */
function measureTvScreen(route: string): TSize {
  const entry = entryOf(route);
  if (!entry.endsWith("/route"))
    throw new Error(`${route} is ${entry}, not a route handler: it would ship the framework`);
  const chunks = Object.values(clientManifest(entry)?.entryJSFiles ?? {}).flat();
  if (chunks.length > 0) throw new Error(`${route} (${entry}) lists client chunks: ${chunks.join(", ")}`);
  return { route, kind: "html+inline", scripts: 1, raw: NAV_SCRIPT.length, gzip: gzipOf(NAV_SCRIPT) };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

function line(s: TSize, note: string): string {
  return `  ${s.route.padEnd(18)} ${s.kind.padEnd(12)} ${kb(s.gzip).padStart(9)} gzip  (${kb(s.raw)} raw, ${s.scripts} script${s.scripts === 1 ? "" : "s"})  ${note}`;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The scripts an HTML page makes the browser run: each <script src> (fetched) and each inline one. */
async function measureHtml(origin: string, route: string, kind: string, htmlText: string): Promise<TSize> {
  let raw = 0;
  let gzip = 0;
  let scripts = 0;
  for (const m of htmlText.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
    const attrs = m[1] ?? "";
    if (/\bnomodule\b/.test(attrs) || /type="application\/(ld\+)?json"/.test(attrs)) continue;
    const src = /\bsrc="([^"]+)"/.exec(attrs)?.[1];
    const bytes = src
      ? Buffer.from(await (await fetch(new URL(src.replace(/&amp;/g, "&"), origin))).arrayBuffer())
      : Buffer.from(m[2] ?? "");
    if (bytes.length === 0) continue;
    scripts++;
    raw += bytes.length;
    gzip += gzipOf(bytes);
  }
  return { route, kind, scripts, raw, gzip };
}

/** Signed-out TV screens from a running `next start` of the build; null when it does not start. */
async function measureLive(): Promise<TSize[] | null> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const child = spawn("./node_modules/.bin/next", ["start", "-p", String(port), "-H", "127.0.0.1"], {
    env: {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: "1",
      PORTAL_ORIGIN: origin,
      NEXTAUTH_URL: origin,
      NEXTAUTH_SECRET: randomBytes(24).toString("base64"),
      SECRETS_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    },
    stdio: "ignore",
    detached: true,
  });
  try {
    const deadline = Date.now() + 90_000;
    let ready = false;
    while (!ready && Date.now() < deadline) {
      ready = await fetch(`${origin}/tv/language`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (!ready) await new Promise((r) => setTimeout(r, 500));
    }
    if (!ready) return null;
    const home = await fetch(`${origin}/tv`, { redirect: "manual" });
    const location = home.headers.get("location") ?? "";
    if (home.status !== 303 || new URL(location, origin).pathname !== "/tv/login") {
      throw new Error(`signed out, /tv answered ${home.status} ${location}, not a 303 to /tv/login`);
    }
    const sizes: TSize[] = [];
    for (const [route, kind] of [
      ["/tv/language", "live"],
      ["/tv/login", "live"],
    ] as const) {
      const res = await fetch(`${origin}${route}`);
      sizes.push(await measureHtml(origin, route, kind, await res.text()));
    }
    return sizes;
  } finally {
    if (child.pid) process.kill(-child.pid, "SIGTERM");
  }
}

async function main(): Promise<number> {
  const screens = TV_SCREENS.map(measureTvScreen);
  const login = measurePage("/tv/login");
  const home = measurePage("/");
  console.log(`first-load JS (gzip -9), from ${NEXT_DIR}; budget 100 KB for the TV's screens`);
  let over = 0;
  for (const s of screens) {
    const within = s.gzip <= BUDGET_BYTES;
    if (!within) over++;
    console.log(line(s, `${(s.gzip / BUDGET_BYTES).toFixed(3)}× budget  ${within ? "within" : "OVER"}`));
  }
  console.log(line(login, "card login (the agent's client runs in it): not under the budget"));
  console.log(line(home, "portal home page, for comparison"));
  const worst = Math.max(...screens.map((s) => s.gzip));
  console.log(`  largest TV screen vs the home page: ${(worst / home.gzip).toFixed(3)}×`);
  if (LIVE) {
    const live = await measureLive();
    if (!live) {
      console.log("  (next start did not answer within 90 s: no live figures)");
    } else {
      console.log("as fetched from `next start` (signed out; /tv answered 303 → /tv/login):");
      for (const s of live) {
        const budgeted = s.route !== "/tv/login";
        if (budgeted && s.gzip > BUDGET_BYTES) over++;
        console.log(
          line(
            s,
            budgeted
              ? `${(s.gzip / BUDGET_BYTES).toFixed(3)}× budget  ${s.gzip <= BUDGET_BYTES ? "within" : "OVER"}`
              : "card login: not under the budget",
          ),
        );
      }
    }
  }
  return over === 0 ? 0 : 1;
}

process.exitCode = await main();
