import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { LanguageChoice } from "@/app/_components/language-toggle";
import { TvNavigationClient } from "./tv-navigation-client";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("tv"))("title") };
}

const sections = ["mailbox", "disaster", "services", "language"] as const;
type TSection = (typeof sections)[number];

function toSection(value: string | string[] | undefined): TSection {
  return sections.find((s) => s === value) ?? "disaster";
}

/**
 * /tv: the 10-foot UI for set-top boxes. Each tile selects a panel through `?section=`, so it
 * works as plain links on any TV browser; arrow keys move between tiles and panel controls.
 */
export default async function TvPage({ searchParams }: { searchParams: Promise<{ section?: string | string[] }> }) {
  const [t, section] = [await getTranslations("tv"), toSection((await searchParams).section)];
  return (
    <TvNavigationClient>
      <main
        id="main"
        tabIndex={-1}
        className="mx-auto flex min-h-dvh max-w-[120rem] flex-col gap-10 px-10 py-10 tv:px-20 tv:py-14"
      >
        <header className="flex flex-wrap items-end justify-between gap-6">
          <div className="space-y-2">
            <h1 className="text-tv-title font-bold">{t("title")}</h1>
            <p className="text-tv-body">{t("lead")}</p>
          </div>
          <p
            className="whitespace-pre-wrap rounded-12 border-2 border-white px-6 py-3 text-std-24B-150"
            aria-hidden="true"
          >
            {t("hint")}
          </p>
        </header>
        <nav aria-label={t("menuLabel")}>
          <ul className="grid grid-cols-2 gap-8 lg:grid-cols-4">
            {sections.map((s) => (
              <li key={s}>
                <Link
                  href={`/tv?section=${s}`}
                  data-tv-nav=""
                  aria-current={s === section ? "true" : undefined}
                  className="flex min-h-48 items-center justify-center rounded-24 border-4 border-white bg-solid-gray-900 px-6 text-center text-tv-body font-bold text-white no-underline aria-[current=true]:bg-white aria-[current=true]:text-black"
                >
                  {t(s)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <section
          aria-labelledby="tv-panel-title"
          data-tv-panel={section}
          className="flex-1 rounded-24 border-4 border-yellow-300 p-10"
        >
          <h2 id="tv-panel-title" className="text-tv-title font-bold">
            {t(section)}
          </h2>
          <p className="mt-4 text-tv-body">{t(`${section}Body`)}</p>
          {section === "language" ? <LanguageChoice size="xl" tone="dark" navAttribute className="mt-8" /> : null}
        </section>
      </main>
    </TvNavigationClient>
  );
}
