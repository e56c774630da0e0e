import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { LanguageChoice } from "@/app/_components/language-toggle";
import { LinkButton } from "@/app/_components/ui/link-button";
import { Loading } from "@/app/_components/ui/spinner";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("terminal"))("title") };
}

/**
 * /terminal: the idle screen of a partner kiosk (bus reader, hospital reception, shelter).
 * Every target is at least 80px high for gloved or unsteady hands; the waiting state is a live
 * region so a screen reader announces it.
 */
export default async function TerminalPage() {
  const t = await getTranslations("terminal");
  return (
    <main id="main" tabIndex={-1} className="mx-auto flex min-h-dvh max-w-300 flex-col gap-8 p-6 sm:p-10">
      <header className="flex flex-wrap items-center justify-between gap-4">
        <h1 className="text-std-32B-150">{t("title")}</h1>
        <LinkButton href="/terminal" variant="outline" size="xl">
          {t("restart")}
        </LinkButton>
      </header>
      <section
        aria-labelledby="terminal-instruction"
        className="flex flex-1 flex-col items-center justify-center gap-8 rounded-32 border-4 border-primary bg-white p-10 text-center"
      >
        <h2 id="terminal-instruction" className="text-std-36B-140 sm:text-dsp-48B-140">
          {t("instruction")}
        </h2>
        <p className="text-std-24N-150">{t("instructionBody")}</p>
        <Loading label={t("waiting")} size="lg" className="text-std-24B-150" />
      </section>
      <nav aria-labelledby="terminal-modes" className="rounded-16 bg-white p-6">
        <h2 id="terminal-modes" className="mb-4 text-std-24B-150">
          {t("modesTitle")}
        </h2>
        <ul className="grid gap-4 md:grid-cols-2">
          <li>
            <LinkButton href="/terminal/hospital" size="xl" className="w-full">
              {t("hospitalLink")}
            </LinkButton>
          </li>
          <li>
            <LinkButton href="/terminal/bus" size="xl" className="w-full">
              {t("busLink")}
            </LinkButton>
          </li>
          <li>
            <LinkButton href="/terminal/ambulance" size="xl" className="w-full">
              {t("ambulanceLink")}
            </LinkButton>
          </li>
        </ul>
      </nav>
      <div className="grid gap-6 md:grid-cols-2">
        <section aria-labelledby="terminal-language" className="rounded-16 bg-white p-6">
          <h2 id="terminal-language" className="mb-4 text-std-24B-150">
            {t("languageTitle")}
          </h2>
          <LanguageChoice size="xl" />
        </section>
        <section aria-labelledby="help" id="help-section" className="rounded-16 bg-white p-6">
          <h2 id="help" className="text-std-24B-150">
            {t("helpTitle")}
          </h2>
          <p className="mt-2 text-std-20N-150">{t("helpBody")}</p>
        </section>
      </div>
    </main>
  );
}
