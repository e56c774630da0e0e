import { getTranslations } from "next-intl/server";
import { SkipLink } from "@/app/_components/ui/skip-link";

/** Kiosk frame for partner devices: full screen, no site navigation, large touch targets. */
export default async function TerminalLayout({ children }: { children: React.ReactNode }) {
  const t = await getTranslations("common");
  return (
    <div className="min-h-dvh bg-surface-muted">
      <SkipLink>{t("skipLink")}</SkipLink>
      {children}
    </div>
  );
}
