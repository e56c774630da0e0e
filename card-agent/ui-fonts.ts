import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

/**
 * Noto Sans JP for the agent's own page (/ui), served by the agent itself from the npm package
 * @fontsource/noto-sans-jp: a machine without a Japanese system font would otherwise show the
 * pairing and PIN prompts as empty boxes, and the page may load nothing from the network.
 * The package splits the font by unicode-range, so a browser fetches only the subsets it needs.
 */
const WEIGHTS = ["400", "700"] as const;
export const UI_FONT_CSS_PATH = "/ui/fonts/noto-sans-jp.css";
const FILES_PREFIX = "/ui/fonts/files/";
const FILE_NAME = /^noto-sans-jp-[a-z0-9-]{1,20}-(400|700)-normal\.woff2$/;

let packageDir: string | undefined;
function fontPackageDir(): string {
  packageDir ??= path.dirname(createRequire(import.meta.url).resolve("@fontsource/noto-sans-jp/400.css"));
  return packageDir;
}

let css: Promise<string> | undefined;
/** The package's @font-face rules for 400 and 700, woff2 only, with URLs under /ui/fonts/files/. */
function fontCss(): Promise<string> {
  css ??= Promise.all(WEIGHTS.map((w) => readFile(path.join(fontPackageDir(), `${w}.css`), "utf8"))).then((parts) =>
    parts
      .join("\n")
      .replace(/, url\(\.\/files\/[^)]+\.woff\) format\('woff'\)/g, "")
      .replaceAll("url(./files/", `url(${FILES_PREFIX}`),
  );
  return css;
}

export type TUiFontResponse = { status: number; contentType: string; body: string | Buffer };

const NOT_FOUND: TUiFontResponse = { status: 404, contentType: "text/plain", body: "not found" };

/** Answers GET /ui/fonts/…: the stylesheet, one woff2 subset, or 404. */
export async function uiFontResponse(pathname: string): Promise<TUiFontResponse> {
  if (pathname === UI_FONT_CSS_PATH)
    return { status: 200, contentType: "text/css; charset=utf-8", body: await fontCss() };
  if (!pathname.startsWith(FILES_PREFIX)) return NOT_FOUND;
  const name = pathname.slice(FILES_PREFIX.length);
  // Only the package's own file names: no path separators, no traversal.
  if (!FILE_NAME.test(name)) return NOT_FOUND;
  try {
    return { status: 200, contentType: "font/woff2", body: await readFile(path.join(fontPackageDir(), "files", name)) };
  } catch {
    return NOT_FOUND;
  }
}
