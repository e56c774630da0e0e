import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { EmergencyTerminalPage } from "../_components/emergency-terminal-page";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("emergencyTerminal"))("ambulanceTitle") };
}

/** /terminal/ambulance: an ambulance crew's reader — the patient's emergency history after a card tap. */
export default function TerminalAmbulancePage() {
  return <EmergencyTerminalPage mode="ambulance" />;
}
