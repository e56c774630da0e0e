import { getTranslations } from "next-intl/server";
import { AppShell } from "@/app/_components/shell/app-shell";
import { residentNav } from "@/app/_components/shell/nav-config";

// The shell only; each page checks the session itself (STYLE.md 5).
export default async function ResidentLayout({ children }: { children: React.ReactNode }) {
  const t = await getTranslations();
  return (
    <AppShell navLabel={t("nav.residentLabel")} nav={residentNav(t)}>
      {children}
    </AppShell>
  );
}
