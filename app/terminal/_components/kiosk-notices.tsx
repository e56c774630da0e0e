import { getTranslations } from "next-intl/server";
import { LinkButton } from "@/app/_components/ui/link-button";
import { Notice } from "@/app/_components/ui/notice";
import type { TTerminalRefusal } from "@/app/_server/terminal-device";
import type { TTerminalDevice } from "@/lib/platform/terminals/authenticate-terminal-device";

/**
 * What a kiosk page shows instead of its tap screen (TerminalModePage, EmergencyTerminalPage):
 * the device is enrolled for another mode (a link to its own page), or it is not enrolled /
 * disabled (the way to enrol it). Copy from `terminalTap`; `stateAttribute` is the page's e2e hook.
 */
type TStateAttribute = "data-tap-state" | "data-emergency-state";

/** The start page of a device's mode. */
export function kioskHomeOf(mode: TTerminalDevice["mode"]): string {
  return KIOSK_HOME[mode];
}

const KIOSK_HOME: Record<TTerminalDevice["mode"], string> = {
  HOSPITAL: "/terminal/hospital",
  AMBULANCE: "/terminal/ambulance",
  BUS: "/terminal/bus",
  SHELTER: "/terminal/shelter",
  SET_TOP_BOX: "/tv",
};

export async function KioskWrongMode({ href, stateAttribute }: { href: string; stateAttribute: TStateAttribute }) {
  const t = await getTranslations("terminalTap");
  return (
    <div {...{ [stateAttribute]: "wrong-mode" }} className="space-y-6 rounded-16 bg-white p-8">
      <Notice tone="warning" title={t("wrongModeTitle")}>
        <p>{t("wrongModeBody")}</p>
      </Notice>
      <LinkButton href={href} size="xl">
        {t("openMode")}
      </LinkButton>
    </div>
  );
}

export async function KioskNotEnrolled({
  refused,
  stateAttribute,
}: {
  refused: TTerminalRefusal;
  stateAttribute: TStateAttribute;
}) {
  const t = await getTranslations("terminalTap");
  const disabled = refused === "TERMINAL_DISABLED";
  return (
    <div
      {...{ [stateAttribute]: "not-enrolled" }}
      data-error-code={refused}
      className="space-y-6 rounded-16 bg-white p-8"
    >
      <Notice tone="error" title={disabled ? t("error.TERMINAL_DISABLED.title") : t("notEnrolledTitle")}>
        <p>{disabled ? t("error.TERMINAL_DISABLED.body") : t("notEnrolledBody")}</p>
        <p className="mt-2">{t("errorCode", { code: refused })}</p>
      </Notice>
      {disabled ? null : (
        <LinkButton href="/terminal/enrol" size="xl">
          {t("enrolAction")}
        </LinkButton>
      )}
    </div>
  );
}
