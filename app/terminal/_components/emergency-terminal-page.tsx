import { getTranslations } from "next-intl/server";
import { LinkButton } from "@/app/_components/ui/link-button";
import { terminalPage } from "@/app/_server/terminal-device";
import { EmergencyTerminalClient } from "./emergency-terminal-client";
import { KioskNotEnrolled, KioskWrongMode, kioskHomeOf } from "./kiosk-notices";

/**
 * Server side of the emergency history kiosk: /terminal/ambulance for an AMBULANCE device and
 * /terminal/hospital/emergency for a HOSPITAL device ("another hospital"). Whether the partner
 * may read histories at all (emergency:read) is checked by lib/services/emergency on each read.
 */
export async function EmergencyTerminalPage({ mode }: { mode: "ambulance" | "hospital" }) {
  const { t, locale, device, refused } = await terminalPage("emergencyTerminal");
  const expected = mode === "ambulance" ? "AMBULANCE" : "HOSPITAL";
  let body: React.ReactNode;
  if (device && device.mode === expected) {
    body = (
      <EmergencyTerminalClient
        partnerName={locale === "en" ? device.partner.nameEn : device.partner.name}
        terminalLabel={device.label}
      />
    );
  } else if (device) {
    body = <KioskWrongMode href={kioskHomeOf(device.mode)} stateAttribute="data-emergency-state" />;
  } else {
    body = <KioskNotEnrolled refused={refused} stateAttribute="data-emergency-state" />;
  }
  return (
    <main id="main" tabIndex={-1} className="mx-auto flex min-h-dvh max-w-300 flex-col gap-8 p-6 sm:p-10">
      <header className="flex flex-wrap items-center justify-between gap-4">
        <h1 className="text-std-32B-150">{t(mode === "ambulance" ? "ambulanceTitle" : "hospitalTitle")}</h1>
        <LinkButton href="/terminal" variant="outline" size="xl">
          {(await getTranslations("terminal"))("restart")}
        </LinkButton>
      </header>
      {body}
    </main>
  );
}
