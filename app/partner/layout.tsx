import { AppShell } from "@/app/_components/shell/app-shell";
import { partnerNav } from "@/app/_components/shell/nav-config";
import { LinkButton } from "@/app/_components/ui/link-button";
import { partnerPage } from "@/app/_server/page-context";
import { PartnerLogoutButton } from "./partner-logout-button";

export default async function PartnerLayout({ children }: { children: React.ReactNode }) {
  // For the "logged in as" bar only: every page authorizes on its own (convention 5, docs/architecture.md#conventions).
  const { t, locale, partner } = await partnerPage();
  const en = locale === "en";
  return (
    <AppShell audience={t("audience.partner")} navLabel={t("nav.partnerLabel")} nav={partnerNav(t)}>
      {partner ? (
        <div
          className="mb-6 flex flex-wrap items-center justify-between gap-3 rounded-8 border border-line p-3"
          data-testid="partner-user-bar"
        >
          <p className="text-std-16N-170">
            {t("partnerLogin.signedInAs", {
              name: partner.displayName,
              partner: en ? partner.partnerNameEn : partner.partnerName,
            })}
          </p>
          <div className="flex flex-wrap items-center gap-3">
            <LinkButton href="/partner/password" variant="outline" size="sm" data-testid="partner-change-password">
              {t("partnerLogin.changePassword")}
            </LinkButton>
            <PartnerLogoutButton label={t("partnerLogin.logout")} />
          </div>
        </div>
      ) : null}
      {children}
    </AppShell>
  );
}
