/**
 * The TV's screens without framework JavaScript (docs/architecture.md, "The TV"): route handlers
 * that answer plain server-rendered HTML — the app's stylesheet (CSS, not JS) and ONE inline script,
 * the remote-key navigation (tv-navigation.ts) under the request's CSP nonce. Links navigate, forms
 * post to route handlers (same-origin check, then a 303 to the next screen).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { cookies } from "next/headers";
import { getTranslations } from "next-intl/server";
import { tvPage, type TResidentPageContext, type TTranslator } from "@/app/_server/page-context";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";
import { formatDateTime } from "@/lib/i18n/dates";
import { LOCALE_COOKIE, type TLocale } from "@/lib/i18n/locales";
import type { TDocumentDetail } from "@/lib/mailbox/get-document";
import { flag, type Html, html, rawHtml } from "@/lib/http/html";
import { tvNavigation } from "./tv-navigation";

export type TTvScreen = TResidentPageContext;

/** Who is watching, in which language (the TV's resident context, channel "tv"). */
export function tvScreen(): Promise<TTvScreen> {
  return tvPage("tv");
}

/** A redirect after a GET or a form post (303: the browser follows with GET). */
export function seeOther(request: Request, to: string): Response {
  return new Response(null, { status: 303, headers: { Location: new URL(to, request.url).toString() } });
}

/**
 * A form post of the TV (a cookie-authenticated change): only from the portal's own pages — the
 * browser's Origin must be the portal's (ORIGIN_MISMATCH otherwise), as the other cookie POSTs check.
 */
export function requireTvFormOrigin(request: Request): void {
  const origin = request.headers.get("origin");
  if (origin !== new URL(env().PORTAL_ORIGIN).origin) throw new AppError("ORIGIN_MISMATCH");
}

/** The nonce of this request's Content-Security-Policy (set by proxy.ts on the request). */
function cspNonce(request: Request): string | null {
  return request.headers.get("content-security-policy")?.match(/'nonce-([A-Za-z0-9+/=]+)'/)?.[1] ?? null;
}

let stylesheetCache: { buildId: string; hrefs: string[] } | null = null;

/**
 * The app's stylesheets (globals.css with Tailwind and the fonts, hashed by the build): the root
 * layout's CSS files as the build's client-reference manifest of /tv/login (or /) lists them.
 */
function stylesheets(): string[] {
  const nextDir = path.join(process.cwd(), ".next");
  // The TV's login page, else the portal's home page (both under the root layout); `next dev`
  // writes them under .next/dev once compiled.
  const candidates = ["", "dev/"].flatMap((dir) =>
    ["tv/login/", ""].map((page) => path.join(nextDir, `${dir}server/app/${page}page_client-reference-manifest.js`)),
  );
  const file = candidates.find((f) => existsSync(f));
  if (!file) return [];
  const buildIdFile = path.join(nextDir, "BUILD_ID");
  const buildId = existsSync(buildIdFile) ? readFileSync(buildIdFile, "utf8") : `dev:${file}`;
  if (stylesheetCache?.buildId === buildId && !buildId.startsWith("dev:")) return stylesheetCache.hrefs;
  const sandbox: { __RSC_MANIFEST?: Record<string, { entryCSSFiles?: Record<string, { path: string }[]> }> } = {};
  new Function("globalThis", readFileSync(file, "utf8"))(sandbox);
  const manifest = Object.values(sandbox.__RSC_MANIFEST ?? {})[0];
  const files = manifest?.entryCSSFiles?.["[project]/app/layout"] ?? [];
  const hrefs = [...new Set(files.map((f) => `/_next/${f.path.replace(/^\/?(_next\/)?/, "")}`))];
  stylesheetCache = { buildId, hrefs };
  return hrefs;
}

const NAV_SCRIPT = `(${tvNavigation.toString()})();`;

/** Options of one screen: see {@link tvFrame}. */
export type TTvFrame = {
  title: Html | string;
  /** The document's <title> (plain text; the visible title by default). */
  documentTitle?: string;
  /** Where the remote's Back key (and the on-screen 「戻る」) goes. */
  back?: string;
  /** Show the colour-key legend. */
  colourLegend?: boolean;
  /** data-tv-screen: a stable hook for tests. */
  screen: string;
  body: Html;
  status?: number;
};

/** A whole TV screen as an HTML response: the 10-foot frame (title, Back, content, key legend). */
export async function tvHtmlResponse(request: Request, s: TTvScreen, f: TTvFrame): Promise<Response> {
  const [app, common] = await Promise.all([
    getTranslations({ locale: s.locale, namespace: "app" }),
    getTranslations({ locale: s.locale, namespace: "common" }),
  ]);
  const nonce = cspNonce(request);
  const titleText = f.documentTitle ?? (typeof f.title === "string" ? f.title : s.t("title"));
  const page = html`<!DOCTYPE html>
<html lang="${s.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="theme-color" content="#0017c1"><title>${titleText} | ${app("fullName")}</title>${stylesheets().map((href) => html`<link rel="stylesheet" href="${href}">`)}</head>
<body><div class="tv-root min-h-dvh bg-black text-white"><a href="#main" data-skip-link="" class="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded-8 focus:bg-yellow-300 focus:px-4 focus:py-3 focus:text-std-17B-170 focus:text-black focus:underline">${common("skipLink")}</a>
<main id="main" tabindex="-1" data-tv-screen="${f.screen}" class="mx-auto flex min-h-dvh max-w-[120rem] flex-col gap-10 px-10 py-10 tv:px-20 tv:py-14"><header class="flex flex-wrap items-center justify-between gap-6"><h1 class="text-tv-title font-bold">${f.title}</h1>${
    f.back
      ? html`<a href="${f.back}" data-tv-nav="" data-tv-back="" class="rounded-24 border-4 border-white px-8 py-4 text-tv-body font-bold text-white no-underline">← ${s.t("back")}</a>`
      : null
  }</header>
<div class="flex-1 space-y-10">${f.body}</div>
<footer class="space-y-2 border-t-2 border-white pt-6 text-std-24B-150" aria-hidden="true"><p>${s.t("keysLegend")}</p>${
    f.colourLegend ? html`<p data-tv-colour-legend="">${s.t("colourLegend")}</p>` : null
  }</footer></main></div>
<script${nonce ? html` nonce="${nonce}"` : null}>${rawHtml(NAV_SCRIPT)}</script></body></html>`;
  return new Response(page.toString(), {
    status: f.status ?? 200,
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "private, no-store" },
  });
}

const NUMBER_BADGE = "flex size-16 shrink-0 items-center justify-center rounded-full bg-white text-black";

/** A large focusable tile (link) of a TV menu, with its number key. */
export function tvTile(o: { href: string; n?: number; testId?: string; content: Html | string }): Html {
  return html`<a href="${o.href}" data-tv-nav=""${o.n !== undefined ? html` data-tv-key="${o.n}"` : null}${
    o.testId ? html` data-testid="${o.testId}"` : null
  } class="flex min-h-40 items-center gap-6 rounded-24 border-4 border-white bg-solid-gray-900 px-8 text-tv-body font-bold text-white no-underline">${
    o.n !== undefined ? html`<span aria-hidden="true" class="${NUMBER_BADGE}">${o.n}</span>` : null
  }<span>${o.content}</span></a>`;
}

/** 「ログアウト」 under number key `n`: a plain form post to /tv/logout. */
export function tvLogoutForm(label: string, n: number): Html {
  return html`<form method="post" action="/tv/logout"><button type="submit" data-tv-nav="" data-tv-key="${n}" data-testid="tv-logout" class="flex min-h-40 w-full items-center gap-6 rounded-24 border-4 border-white bg-black px-8 text-tv-body font-bold text-white"><span aria-hidden="true" class="${NUMBER_BADGE}">${n}</span><span>${label}</span></button></form>`;
}

/** 日本語 / English (each in its own language, the current one pressed): a form post to /tv/language. */
export async function tvLanguageForm(locale: TLocale, back: string): Promise<Html> {
  const t = await getTranslations({ locale, namespace: "language" });
  const options = [
    { value: "ja", label: "日本語" },
    { value: "en", label: "English" },
  ] as const;
  return html`<form method="post" action="/tv/language" class="flex flex-wrap gap-4" aria-label="${t("groupLabel")}"><input type="hidden" name="back" value="${back}">${options.map(
    (o) =>
      html`<button type="submit" name="locale" value="${o.value}" lang="${o.value}" aria-pressed="${locale === o.value}" data-tv-nav="" class="inline-flex items-center justify-center gap-2 border-2 hover:underline border-white bg-black text-white aria-pressed:bg-white aria-pressed:text-black min-h-20 min-w-56 rounded-12 px-8 text-std-28B-150">${
        locale === o.value ? html`<span aria-hidden="true">✓</span>` : null
      }${o.label}</button>`,
  )}</form>`;
}

/** Stores the TV's language choice in the locale cookie the whole app reads (app/_i18n/request.ts). */
export async function setTvLocale(locale: TLocale): Promise<void> {
  (await cookies()).set(LOCALE_COOKIE, locale, {
    path: "/",
    maxAge: 60 * 60 * 24 * 365,
    sameSite: "lax",
    httpOnly: true,
  });
}

/**
 * A mailbox document on the TV: the same rendered fields as the web's document page
 * (TDocumentDetail.fields, in the resident's language), in 10-foot type.
 */
export function tvDocument(t: TTranslator, locale: TLocale, doc: TDocumentDetail): Html {
  return html`<article class="space-y-8" data-document-id="${doc.id}"><dl class="grid gap-x-10 gap-y-2 text-tv-body sm:grid-cols-[max-content_1fr]"><dt class="font-bold">${t("documentIssuer")}</dt><dd><bdi>${
    locale === "en" ? doc.issuer.nameEn : doc.issuer.name
  }</bdi></dd><dt class="font-bold">${t("documentReceived")}</dt><dd><time datetime="${doc.createdAt}">${formatDateTime(
    doc.createdAt,
    locale,
  )}</time></dd></dl><section aria-label="${t("documentContents")}"><dl class="grid gap-x-10 gap-y-4 rounded-24 border-4 border-white p-8 text-tv-body sm:grid-cols-[max-content_1fr]" data-testid="tv-document-fields">${doc.fields[
    locale
  ].map(
    (f) =>
      html`<div class="contents"><dt class="font-bold"><bdi>${f.label}</bdi></dt><dd class="whitespace-pre-wrap break-words"><bdi>${f.value}</bdi></dd></div>`,
  )}</dl></section></article>`;
}

export { flag, html };
