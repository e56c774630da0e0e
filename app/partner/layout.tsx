import { getTranslations } from "next-intl/server";
import { AppShell } from "@/app/_components/shell/app-shell";
import { partnerNav } from "@/app/_components/shell/nav-config";

export default async function PartnerLayout({ children }: { children: React.ReactNode }) {
  const t = await getTranslations();
  return (
    <AppShell audience={t("audience.partner")} navLabel={t("nav.partnerLabel")} nav={partnerNav(t)}>
      {children}
    </AppShell>
  );
}
