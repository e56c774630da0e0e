/**
 * npm run lint:imports [root] — checks every TypeScript file under root (default: here) against the import rules of
 * scripts/import-rules.ts and lists each violation with the rule it breaks; exit 1 on any.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { checkImports } from "./import-rules";

const SKIP = new Set([
  "node_modules",
  ".next",
  ".data",
  ".git",
  "generated",
  "reports",
  "test-results",
  "playwright-report",
]);

function sourceFiles(root: string, dir = ""): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory()) return SKIP.has(e.name) ? [] : sourceFiles(root, rel);
    return /\.(ts|tsx|mts)$/.test(e.name) && !e.name.endsWith(".d.ts") ? [rel] : [];
  });
}

const root = path.resolve(process.argv[2] ?? ".");
const files = sourceFiles(root);
const violations = checkImports(root, files);
for (const v of violations) console.log(`${v.file}: import "${v.specifier}" — ${v.why}`);
console.log(`import rules: ${files.length} files, ${violations.length} violation(s)`);
process.exit(violations.length > 0 ? 1 : 0);
