import { getTranslations } from "next-intl/server";
import { LinkButton } from "@/app/_components/ui/link-button";
import { Notice } from "@/app/_components/ui/notice";
import { terminalPage } from "@/app/_server/terminal-device";
import { EmergencyTerminalClient } from "./emergency-terminal-client";

/**
 * Server side of the emergency history kiosk: /terminal/ambulance for an AMBULANCE device and
 * /terminal/hospital/emergency for a HOSPITAL device ("another hospital"). Whether the partner
 * may read histories at all (emergency:read) is checked by lib/services/emergency on each read.
 */
export async function EmergencyTerminalPage({ mode }: { mode: "ambulance" | "hospital" }) {
  const { t, locale, device, refused } = await terminalPage("emergencyTerminal");
  const tap = await getTranslations("terminalTap");
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
    const home =
      device.mode === "AMBULANCE"
        ? "/terminal/ambulance"
        : device.mode === "HOSPITAL"
          ? "/terminal/hospital"
          : "/terminal/bus";
    body = (
      <div data-emergency-state="wrong-mode" className="space-y-6 rounded-16 bg-white p-8">
        <Notice tone="warning" title={tap("wrongModeTitle")}>
          <p>{tap("wrongModeBody")}</p>
        </Notice>
        <LinkButton href={home} size="xl">
          {tap("openMode")}
        </LinkButton>
      </div>
    );
  } else {
    const disabled = refused === "TERMINAL_DISABLED";
    body = (
      <div data-emergency-state="not-enrolled" data-error-code={refused} className="space-y-6 rounded-16 bg-white p-8">
        <Notice tone="error" title={disabled ? tap("error.TERMINAL_DISABLED.title") : tap("notEnrolledTitle")}>
          <p>{disabled ? tap("error.TERMINAL_DISABLED.body") : tap("notEnrolledBody")}</p>
          <p className="mt-2">{tap("errorCode", { code: refused })}</p>
        </Notice>
        {disabled ? null : (
          <LinkButton href="/terminal/enrol" size="xl">
            {tap("enrolAction")}
          </LinkButton>
        )}
      </div>
    );
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
