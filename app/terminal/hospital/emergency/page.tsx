import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { EmergencyTerminalPage } from "../../_components/emergency-terminal-page";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("emergencyTerminal"))("hospitalTitle") };
}

/** /terminal/hospital/emergency: the same emergency history read at a HOSPITAL kiosk ("another hospital"). */
export default function TerminalHospitalEmergencyPage() {
  return <EmergencyTerminalPage mode="hospital" />;
}
