/**
 * The repository stands on its own: no tracked file points outside it (a sibling folder, a
 * design note that is not in the repository, an issue number), and every relative link in a
 * Markdown file reaches a path that exists, with its heading when the link names one.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Pointers outside the repository: the maintainers' check (`git grep -nE` with this pattern). */
const OUTSIDE_POINTER = /\.\.\/shared\/|(^|[^/A-Za-z])(JPKI|STYLE|DESIGN|STACK|WEBCRYPTO-SOCKET)\.md|[Ii]ssue #?[0-9]+/;

function trackedFiles(): string[] {
  return execFileSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 })
    .split("\0")
    .filter((f) => f !== "" && existsSync(path.join(ROOT, f)) && statSync(path.join(ROOT, f)).isFile());
}

function readText(file: string): string | undefined {
  const buf = readFileSync(path.join(ROOT, file));
  return buf.includes(0) ? undefined : buf.toString("utf8");
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
function headingSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[`*_]/g, "")
    .replace(/[^\p{L}\p{N}\s-]/gu, "")
    .replace(/\s/g, "-");
}

function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  let fenced = false;
  for (const line of markdown.split("\n")) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    const m = fenced ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const base = headingSlug(m[1]!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** Relative link targets of a Markdown text (inline links and images), outside code. */
function markdownLinks(markdown: string): { line: number; target: string }[] {
  const out: { line: number; target: string }[] = [];
  let fenced = false;
  markdown.split("\n").forEach((text, i) => {
    if (/^\s*```/.test(text)) fenced = !fenced;
    if (fenced) return;
    const noCode = text.replace(/`[^`]*`/g, "");
    for (const m of noCode.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      const target = m[1]!;
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith("//")) continue;
      out.push({ line: i + 1, target });
    }
  });
  return out;
}

describe("the repository is self-contained", () => {
  const files = trackedFiles();

  it("no tracked file points outside the repository or at an issue number", () => {
    const hits: string[] = [];
    for (const file of files) {
      const text = readText(file);
      if (text === undefined) continue;
      text.split("\n").forEach((line, i) => {
        if (OUTSIDE_POINTER.test(line)) hits.push(`${file}:${i + 1}: ${line.trim().slice(0, 160)}`);
      });
    }
    expect(hits, `pointers outside the repository:\n${hits.join("\n")}`).toEqual([]);
  });

  it("every relative link in a Markdown file reaches an existing path (and heading)", () => {
    const broken: string[] = [];
    const anchorCache = new Map<string, Set<string>>();
    const anchors = (file: string) => {
      let a = anchorCache.get(file);
      if (!a) {
        a = anchorsOf(readFileSync(path.join(ROOT, file), "utf8"));
        anchorCache.set(file, a);
      }
      return a;
    };
    for (const file of files.filter((f) => f.endsWith(".md"))) {
      const text = readText(file) ?? "";
      for (const { line, target } of markdownLinks(text)) {
        const [rawPath = "", hash] = target.split("#");
        const decoded = decodeURIComponent(rawPath);
        const resolved =
          decoded === "" ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), decoded));
        if (resolved.startsWith("..") || !existsSync(path.join(ROOT, resolved))) {
          broken.push(`${file}:${line}: ${target} (no such path)`);
          continue;
        }
        if (hash && resolved.endsWith(".md") && !anchors(resolved).has(hash)) {
          broken.push(`${file}:${line}: ${target} (no such heading)`);
        }
      }
    }
    expect(broken, `broken links:\n${broken.join("\n")}`).toEqual([]);
  });

  it("every docs/<page>.md#heading named in a tracked file exists", () => {
    const broken: string[] = [];
    for (const file of files) {
      const text = readText(file);
      if (text === undefined) continue;
      text.split("\n").forEach((line, i) => {
        for (const m of line.matchAll(/\bdocs\/([a-z0-9-]+\.md)(?:#([a-z0-9-]+))?/g)) {
          const page = `docs/${m[1]}`;
          if (!existsSync(path.join(ROOT, page))) broken.push(`${file}:${i + 1}: ${m[0]} (no such page)`);
          else if (m[2] && !anchorsOf(readFileSync(path.join(ROOT, page), "utf8")).has(m[2])) {
            broken.push(`${file}:${i + 1}: ${m[0]} (no such heading)`);
          }
        }
      });
    }
    expect(broken, `broken docs pointers:\n${broken.join("\n")}`).toEqual([]);
  });
});
