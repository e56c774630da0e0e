/**
 * The arrows between the rooms of the repository (docs/architecture.md), checked on every import:
 * `npm run lint:imports` (part of `npm test`'s static checks) fails on a file that reaches a room
 * it may not. Each import specifier is resolved to a path (the `@/` alias and relative paths
 * alike), so `../../jlis-sim/jlis` and `@/jlis-sim/jlis` are the same arrow.
 *
 * Test code (`*.test.ts`, `test/`, `e2e/`, `bench/`) may use the harness rooms; production code
 * may not. The lib/ domains (lib/<domain>/) must not import each other in a cycle
 * (findDomainCycles). Biome's noRestrictedImports keeps Next.js and React out of lib/ by package name.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

/** One prohibition: files it applies to, the rooms (path prefixes from the repository root) they may not import. */
type TRule = {
  /** Which files the rule applies to. */
  files: (file: string, source: string) => boolean;
  /** A forbidden target: a repository path prefix, or a package name when `pkg` is set. */
  forbidden: {
    prefix: string;
    pkg?: boolean;
    except?: (file: string) => boolean;
    /** With a path prefix: the target (a repository path without extension) is forbidden only when this holds. */
    when?: (to: string, file: string) => boolean;
  }[];
  why: string;
};

const isTestFile = (f: string) => /\.test\.tsx?$/.test(f);
const isClientComponent = (_f: string, source: string) => /^\s*["']use client["'];?/m.test(source.slice(0, 200));

/**
 * Whether `to` (a repository path under app/, without extension) lies in a route folder beside
 * the one `file` belongs to. A file belongs to its folder, or, inside a private folder (`_server`,
 * `_components`, `_lib`, …: Next.js never routes a folder whose name starts with `_`), to the
 * route folder that holds it. It may import from that route folder and below it, from files of
 * the folders above it, and from the private folders of any of those (app/_server,
 * app/_components, app/_lib, app/_i18n, app/_styles, app/partner/_lib, app/api/v1/_lib, …); code
 * that sibling routes share moves to such a private folder, never into one of the routes.
 */
export function isSiblingRouteImport(file: string, to: string): boolean {
  const dirs = path.posix.dirname(file).split("/");
  const firstPrivate = dirs.findIndex((d) => d.startsWith("_"));
  const home = firstPrivate === -1 ? dirs : dirs.slice(0, firstPrivate);
  const target = to.split("/");
  let common = 0;
  while (common < home.length && common < target.length - 1 && home[common] === target[common]) common++;
  // The file's route folder or below it, or a file of a folder above it.
  if (common === home.length || common === target.length - 1) return false;
  // Where the target leaves the file's path: a private folder, or a sibling route.
  return !target[common]!.startsWith("_");
}

const HARNESS = ["jlis-sim/", "partner-sim/", "scripts/", "e2e/", "test/", "bench/", "prisma/seed/", "prisma/seed.ts"];

/** The allowed arrows, as prohibitions. */
export const IMPORT_RULES: TRule[] = [
  {
    files: (f) => f.startsWith("lib/") && !isTestFile(f),
    forbidden: [...HARNESS, "card-agent/", "app/"].map((prefix) => ({ prefix })),
    why: "lib/ is production domain logic: it reaches J-LIS over HTTP (lib/jlis) and never imports the simulator, the harness, the card agent or routes",
  },
  {
    files: (f) => f.startsWith("app/") && !isTestFile(f),
    forbidden: [
      ...["scripts/", "e2e/", "test/", "bench/", "prisma/seed/", "prisma/seed.ts", "card-agent/"].map((prefix) => ({
        prefix,
      })),
      // Only the simulator's own routes mount it.
      { prefix: "jlis-sim/", except: (f) => f.startsWith("app/jlis/") || f.startsWith("app/partner-ca/") },
      // The simulated partners' systems are mounted only by their own routes.
      { prefix: "partner-sim/", except: (f) => f.startsWith("app/partner-sim/") },
    ],
    why: "app/ holds routes over lib/; only the simulators' routes (/jlis, /partner-ca, /partner-sim) mount jlis-sim and partner-sim",
  },
  {
    files: (f) => f.startsWith("app/") && !isTestFile(f),
    forbidden: [{ prefix: "app/", when: (to, file) => isSiblingRouteImport(file, to) }],
    why: "a route folder imports only from itself, its descendants, folders above it and private folders (app/_server, app/_components, app/_lib, app/_i18n, app/_styles, a parent's _lib …); code shared with a sibling route moves to one of those",
  },
  {
    files: (f, src) => (f.startsWith("app/") || f.startsWith("lib/")) && isClientComponent(f, src),
    forbidden: [
      { prefix: "lib/db/" },
      { prefix: "lib/env.ts" },
      { prefix: "@prisma/client", pkg: true },
      { prefix: "pg", pkg: true },
    ],
    why: "a client component runs in the browser: no database, no server configuration",
  },
  {
    files: (f) =>
      (f.startsWith("jlis-sim/") || f.startsWith("partner-sim/") || f.startsWith("card-agent/")) && !isTestFile(f),
    forbidden: ["app/", "scripts/", "e2e/", "test/", "bench/"].map((prefix) => ({ prefix })),
    why: "the simulators and the card agent stand below the routes and the harness",
  },
  {
    files: (f) => f.startsWith("card-agent/") && !isTestFile(f),
    forbidden: [{ prefix: "jlis-sim/" }, { prefix: "prisma/" }],
    why: "the card agent talks to tokens, not to the simulated CA or the database",
  },
];

const SPECIFIER =
  /(?:\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+|\bexport\s+\*\s+from\s+|\brequire\(\s*)(["'])([^"'\n]+)\1/gm;

/** Import specifiers of a source text (static, dynamic, side-effect and re-exports). */
export function importSpecifiers(source: string): string[] {
  return [...source.matchAll(SPECIFIER)].map((m) => m[2]!);
}

/** A specifier as a repository path (for `@/` and relative ones) or as a package name. */
export function resolveSpecifier(spec: string, fromFile: string): { path?: string; pkg?: string } {
  if (spec.startsWith("@/")) return { path: path.posix.normalize(spec.slice(2)) };
  if (spec.startsWith(".")) return { path: path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), spec)) };
  if (spec.startsWith("node:")) return { pkg: spec };
  const parts = spec.split("/");
  return { pkg: spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0] };
}

function withoutExtension(p: string): string {
  return p.replace(/\.(ts|tsx|mts|js|mjs|json)$/, "");
}

export type TImportViolation = { file: string; specifier: string; why: string };

/** The violations in one file (path relative to the repository root, with forward slashes). */
export function checkFileImports(file: string, source: string): TImportViolation[] {
  const rules = IMPORT_RULES.filter((r) => r.files(file, source));
  if (rules.length === 0) return [];
  const out: TImportViolation[] = [];
  for (const specifier of importSpecifiers(source)) {
    const target = resolveSpecifier(specifier, file);
    for (const rule of rules) {
      const hit = rule.forbidden.find((f) => {
        if (f.except?.(file)) return false;
        if (f.pkg) return target.pkg === f.prefix;
        if (!target.path) return false;
        const room = withoutExtension(f.prefix.replace(/\/$/, ""));
        const to = withoutExtension(target.path);
        return (to === room || to.startsWith(`${room}/`)) && (f.when?.(to, file) ?? true);
      });
      if (hit) {
        out.push({ file, specifier, why: rule.why });
        break;
      }
    }
  }
  return out;
}

/**
 * The composition root (lib/runtime): it imports every domain, and the process-wide getters that
 * are views over it (getDb, getCardLoginContext, …) import it back; arrows into it are left out of
 * the domain graph.
 */
const COMPOSITION_ROOT = "runtime";

/**
 * Arrows between lib/ domains known to close a cycle and kept for now, each with the reason. An
 * arrow listed here is left out of the graph; every other cycle fails the check.
 */
export const ALLOWED_DOMAIN_ARROWS: { from: string; to: string; why: string }[] = [];

/** The lib/ domain (first folder under lib/) of a repository path; undefined outside one (e.g. lib/env.ts). */
export function domainOf(file: string): string | undefined {
  const m = /^lib\/([^/]+)\//.exec(file);
  return m?.[1];
}

export type TDomainCycle = {
  /** The domains that reach each other, sorted. */
  domains: string[];
  /** Each arrow inside the cycle, with the first file and specifier that makes it. */
  arrows: { from: string; to: string; file: string; specifier: string }[];
};

/**
 * Cycles between lib/ domains (lib/<domain>/…), from the import specifiers of the production files
 * (tests may reach across): the strongly connected components of the domain graph with more than
 * one domain (Tarjan). Arrows into the composition root and ALLOWED_DOMAIN_ARROWS are left out.
 */
export function findDomainCycles(files: { file: string; source: string }[]): TDomainCycle[] {
  const edges = new Map<string, Map<string, { file: string; specifier: string }>>();
  for (const { file, source } of files) {
    const from = domainOf(file);
    if (!from || isTestFile(file)) continue;
    for (const specifier of importSpecifiers(source)) {
      const target = resolveSpecifier(specifier, file).path;
      const to = target && domainOf(target);
      if (!to || to === from || to === COMPOSITION_ROOT) continue;
      if (ALLOWED_DOMAIN_ARROWS.some((a) => a.from === from && a.to === to)) continue;
      const out = edges.get(from) ?? new Map();
      edges.set(from, out);
      if (!out.has(to)) out.set(to, { file, specifier });
    }
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: TDomainCycle[] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length < 2) return;
    const domains = component.sort();
    const arrows = domains.flatMap((from) =>
      [...(edges.get(from) ?? [])].filter(([to]) => domains.includes(to)).map(([to, at]) => ({ from, to, ...at })),
    );
    cycles.push({ domains, arrows });
  };
  for (const v of [...edges.keys()].sort()) if (!index.has(v)) visit(v);
  return cycles;
}

/** A domain cycle as violations: one per arrow inside it, at the file that makes it. */
export function domainCycleViolations(cycles: TDomainCycle[]): TImportViolation[] {
  return cycles.flatMap((c) =>
    c.arrows.map((a) => ({
      file: a.file,
      specifier: a.specifier,
      why: `lib/${a.from} → lib/${a.to} closes a cycle between the lib/ domains ${c.domains.join(", ")}: move the piece to the room that owns it, or pass a function in`,
    })),
  );
}

/** Checks every given file read from `root`: the rules of each file, then cycles between lib/ domains. */
export function checkImports(root: string, files: string[]): TImportViolation[] {
  const sources = files.map((file) => ({ file, source: readFileSync(path.join(root, file), "utf8") }));
  return [
    ...sources.flatMap(({ file, source }) => checkFileImports(file, source)),
    ...domainCycleViolations(findDomainCycles(sources)),
  ];
}
