import Link from "next/link";
import type { ReactNode } from "react";
import type { TTranslator } from "@/app/_server/page-context";
import { TvNavigationClient } from "../tv-navigation-client";

/**
 * One TV screen: a title, the content, and the key legend at the foot. `back`: where the remote's
 * Back key (and the on-screen 「戻る」) goes; `colourLegend`: show the colour-key mapping.
 */
export function TvFrame({
  t,
  title,
  back,
  colourLegend = false,
  screen,
  children,
}: {
  t: TTranslator;
  title: ReactNode;
  back?: string;
  colourLegend?: boolean;
  /** data-tv-screen: a stable hook for tests. */
  screen: string;
  children: ReactNode;
}) {
  return (
    <TvNavigationClient>
      <main
        id="main"
        tabIndex={-1}
        data-tv-screen={screen}
        className="mx-auto flex min-h-dvh max-w-[120rem] flex-col gap-10 px-10 py-10 tv:px-20 tv:py-14"
      >
        <header className="flex flex-wrap items-center justify-between gap-6">
          <h1 className="text-tv-title font-bold">{title}</h1>
          {back ? (
            <Link
              href={back}
              data-tv-nav=""
              data-tv-back=""
              className="rounded-24 border-4 border-white px-8 py-4 text-tv-body font-bold text-white no-underline"
            >
              ← {t("back")}
            </Link>
          ) : null}
        </header>
        <div className="flex-1 space-y-10">{children}</div>
        <footer className="space-y-2 border-t-2 border-white pt-6 text-std-24B-150" aria-hidden="true">
          <p>{t("keysLegend")}</p>
          {colourLegend ? <p data-tv-colour-legend="">{t("colourLegend")}</p> : null}
        </footer>
      </main>
    </TvNavigationClient>
  );
}

/** A large focusable tile (link) of a TV menu, with its number key. */
export function TvTile({
  href,
  n,
  children,
  testId,
}: {
  href: string;
  n?: number;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <Link
      href={href}
      data-tv-nav=""
      data-tv-key={n !== undefined ? String(n) : undefined}
      data-testid={testId}
      className="flex min-h-40 items-center gap-6 rounded-24 border-4 border-white bg-solid-gray-900 px-8 text-tv-body font-bold text-white no-underline"
    >
      {n !== undefined ? (
        <span
          aria-hidden="true"
          className="flex size-16 shrink-0 items-center justify-center rounded-full bg-white text-black"
        >
          {n}
        </span>
      ) : null}
      <span>{children}</span>
    </Link>
  );
}
