import { getTranslations } from "next-intl/server";
import { AppShell } from "@/app/_components/shell/app-shell";
import { publicNav } from "@/app/_components/shell/nav-config";

export default async function PublicLayout({ children }: { children: React.ReactNode }) {
  const t = await getTranslations();
  return (
    <AppShell navLabel={t("nav.publicLabel")} nav={publicNav(t)}>
      {children}
    </AppShell>
  );
}
