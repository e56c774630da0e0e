import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { LanguageChoice } from "@/app/_components/language-toggle";
import { tvPage } from "@/app/_server/page-context";
import { TvLoginClient } from "../_components/tv-login-client";
import { TvNavigationClient } from "../tv-navigation-client";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("tv"))("title") };
}

/**
 * /tv/login: the TV's card login (the box's card agent; PIN on the agent's own TV screen) and the
 * language — the TV's only React screen, because the card agent's client runs in the page. /tv
 * sends a signed-out TV here (keeping `?agent=`); a signed-in one goes back to /tv.
 */
export default async function TvLoginPage() {
  const { t, resident } = await tvPage("tv");
  if (resident) redirect("/tv");
  return (
    <TvNavigationClient>
      <main
        id="main"
        tabIndex={-1}
        data-tv-screen="login"
        className="mx-auto flex min-h-dvh max-w-[120rem] flex-col gap-10 px-10 py-10 tv:px-20 tv:py-14"
      >
        <header className="flex flex-wrap items-center justify-between gap-6">
          <h1 className="text-tv-title font-bold">{t("loginTitle")}</h1>
        </header>
        <div className="flex-1 space-y-10">
          <p className="text-tv-body">{t("loginLead")}</p>
          <TvLoginClient />
          <section aria-labelledby="tv-language" className="space-y-4">
            <h2 id="tv-language" className="text-tv-body font-bold">
              {t("language")}
            </h2>
            <LanguageChoice size="xl" tone="dark" navAttribute />
          </section>
        </div>
        <footer className="space-y-2 border-t-2 border-white pt-6 text-std-24B-150" aria-hidden="true">
          <p>{t("keysLegend")}</p>
        </footer>
      </main>
    </TvNavigationClient>
  );
}
