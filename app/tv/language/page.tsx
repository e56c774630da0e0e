import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { LanguageChoice } from "@/app/_components/language-toggle";
import { tvPage } from "@/app/_server/page-context";
import { TvFrame } from "../_components/tv-frame";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("tv"))("language") };
}

/** /tv/language: 日本語 / English with the arrow keys and OK. */
export default async function TvLanguagePage() {
  const { t } = await tvPage("tv");
  return (
    <TvFrame t={t} title={t("language")} back="/tv?menu=1" screen="language">
      <p className="text-tv-body">{t("languageBody")}</p>
      <LanguageChoice size="xl" tone="dark" navAttribute />
    </TvFrame>
  );
}
