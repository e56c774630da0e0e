import type { Metadata } from "next";
import { getLocale, getTranslations } from "next-intl/server";
import { resetSecondsOf, TerminalModePage } from "../_components/terminal-mode-page";
import { ShelterTapClient } from "./shelter-tap-client";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("terminalShelter"))("title") };
}

/** /terminal/shelter: the shelter reception kiosk (避難所受付) of an enrolled SHELTER device. */
export default async function TerminalShelterPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const t = await getTranslations("terminalShelter");
  const locale = await getLocale();
  return (
    <TerminalModePage
      mode="shelter"
      title={t("title")}
      resetSeconds={resetSecondsOf((await searchParams).reset)}
      client={({ device, partnerName, resetSeconds }) => (
        <ShelterTapClient
          partnerName={partnerName}
          terminalLabel={device.label}
          resetSeconds={resetSeconds}
          locale={locale === "en" ? "en" : "ja"}
        />
      )}
    />
  );
}
