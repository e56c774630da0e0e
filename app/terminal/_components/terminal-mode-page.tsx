import { getTranslations } from "next-intl/server";
import { LinkButton } from "@/app/_components/ui/link-button";
import { terminalPage } from "@/app/_server/terminal-device";
import type { TTerminalDevice } from "@/lib/platform/terminals/authenticate-terminal-device";
import { KioskNotEnrolled, KioskWrongMode, kioskHomeOf } from "./kiosk-notices";
import { TerminalTapClient } from "./terminal-tap-client";

/**
 * Server side of a kiosk page (/terminal/hospital, /terminal/bus): the device credential from
 * its HttpOnly cookie decides whether this kiosk may check cards, for which partner and in which
 * mode; nothing is rendered for an unenrolled or disabled device but the way to enrol it.
 */
export async function TerminalModePage({
  mode,
  resetSeconds,
  client,
  title,
}: {
  mode: "hospital" | "bus" | "shelter";
  resetSeconds: number;
  /** The mode's own tap screen (default: the eligibility check's TerminalTapClient). */
  client?: (p: { device: TTerminalDevice; partnerName: string; resetSeconds: number }) => React.ReactNode;
  /** The page heading (default: terminalTap `<mode>.title`). */
  title?: string;
}) {
  const { t, locale, device, refused } = await terminalPage("terminalTap");
  let body: React.ReactNode;
  if (device) {
    body =
      device.mode.toLowerCase() !== mode ? (
        <KioskWrongMode href={kioskHomeOf(device.mode)} stateAttribute="data-tap-state" />
      ) : client ? (
        client({ device, partnerName: locale === "en" ? device.partner.nameEn : device.partner.name, resetSeconds })
      ) : mode === "shelter" ? null : (
        <TerminalTapClient
          mode={mode}
          partnerName={locale === "en" ? device.partner.nameEn : device.partner.name}
          terminalLabel={device.label}
          resetSeconds={resetSeconds}
        />
      );
  } else {
    body = <KioskNotEnrolled refused={refused} stateAttribute="data-tap-state" />;
  }
  return (
    <main id="main" tabIndex={-1} className="mx-auto flex min-h-dvh max-w-300 flex-col gap-8 p-6 sm:p-10">
      <header className="flex flex-wrap items-center justify-between gap-4">
        <h1 className="text-std-32B-150">{title ?? t(`${mode}.title`)}</h1>
        {device?.credentialMode === "TEST" ? (
          // A sandbox kiosk (npm run sandbox -- terminal): it checks sandbox cards only.
          <p data-testid="terminal-sandbox" className="rounded-8 border-2 border-warning px-4 py-2 text-std-20B-150">
            {t("sandboxBadge")}
          </p>
        ) : null}
        <LinkButton href="/terminal" variant="outline" size="xl">
          {(await getTranslations("terminal"))("restart")}
        </LinkButton>
      </header>
      {body}
    </main>
  );
}

/** `?reset=N` (3–120 seconds) shortens or lengthens the auto return; default 15 seconds. */
export function resetSecondsOf(value: string | string[] | undefined): number {
  const n = Number(Array.isArray(value) ? value[0] : value);
  return Number.isInteger(n) && n >= 3 && n <= 120 ? n : 15;
}
