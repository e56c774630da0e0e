import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { resetSecondsOf, TerminalModePage } from "../_components/terminal-mode-page";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("terminalTap"))("hospital.title") };
}

/** /terminal/hospital: the hospital reception kiosk's card tap (資格確認) for an enrolled partner device. */
export default async function TerminalHospitalPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  return <TerminalModePage mode="hospital" resetSeconds={resetSecondsOf((await searchParams).reset)} />;
}
