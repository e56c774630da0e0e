import { getTranslations } from "next-intl/server";
import { AppShell } from "@/app/_components/shell/app-shell";
import { adminNav } from "@/app/_components/shell/nav-config";

export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const t = await getTranslations();
  return (
    <AppShell audience={t("audience.admin")} navLabel={t("nav.adminLabel")} nav={adminNav(t)}>
      {children}
    </AppShell>
  );
}
