import Link from "next/link";
import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { LanguageToggle } from "../language-toggle";
import { SkipLink } from "../ui/skip-link";
import { NavLinksClient, type TNavItem } from "./nav-links-client";

export type TAppShellProps = {
  /** Which console this is ("職員コンソール"); omitted on public and resident pages. */
  audience?: string;
  navLabel: string;
  nav: readonly TNavItem[];
  /** Who is signed in, with a way out (resident area); nothing when signed out. */
  account?: ReactNode;
  children: ReactNode;
};

/**
 * Page frame shared by the public, resident, admin and partner areas: skip link, header with
 * the language switch, navigation, `<main id="main">` and footer. Responsive from phone to
 * desktop; /tv and /terminal have their own full-screen frames.
 */
export async function AppShell({ audience, navLabel, nav, account, children }: TAppShellProps) {
  const t = await getTranslations();
  return (
    <div className="flex min-h-dvh flex-col">
      <SkipLink>{t("common.skipLink")}</SkipLink>
      <header className="border-b border-line bg-white">
        <div className="mx-auto flex max-w-300 flex-wrap items-center justify-between gap-3 px-4 py-3 sm:px-6">
          <div className="flex flex-wrap items-baseline gap-x-4 gap-y-1">
            <Link
              href="/"
              aria-label={t("app.homeLink")}
              className="flex items-baseline gap-2 text-ink no-underline hover:underline"
            >
              <span className="text-std-24B-150 text-primary">{t("app.name")}</span>
              <span className="text-dns-16N-130 text-ink-muted">{t("app.subName")}</span>
            </Link>
            {audience ? (
              <span className="rounded-6 bg-ink px-2 py-0.5 text-dns-14B-130 text-white">{audience}</span>
            ) : null}
          </div>
          <div className="flex flex-wrap items-center gap-3">
            {account ? (
              <section aria-label={t("common.accountLabel")} className="flex items-center gap-3">
                {account}
              </section>
            ) : null}
            <LanguageToggle />
          </div>
        </div>
        <NavLinksClient items={nav} label={navLabel} />
      </header>
      <main id="main" tabIndex={-1} className="mx-auto w-full max-w-300 flex-1 px-4 py-8 sm:px-6 sm:py-10">
        {children}
      </main>
      <footer className="mt-12 border-t border-line bg-surface-muted">
        <div className="mx-auto max-w-300 px-4 py-6 text-std-16N-170 text-ink-muted sm:px-6">
          <p>{t("common.footerNote")}</p>
        </div>
      </footer>
    </div>
  );
}
