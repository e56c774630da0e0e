import { DisasterBanner } from "@/app/_components/disaster/disaster-banner";
import { LogoutButton } from "@/app/_components/logout-button";
import { AppShell } from "@/app/_components/shell/app-shell";
import { residentNav } from "@/app/_components/shell/nav-config";
import { residentPage } from "@/app/_server/page-context";

// The shell only: it shows who is signed in, but each page checks the session itself (convention 5, docs/architecture.md#conventions).
export default async function ResidentLayout({ children }: { children: React.ReactNode }) {
  const { t, resident } = await residentPage();
  const account = resident ? (
    <>
      <span className="text-dns-16N-130" data-testid="signed-in-as">
        {t("common.signedInAs", { name: resident.displayName })}
      </span>
      <LogoutButton />
    </>
  ) : undefined;
  return (
    <AppShell navLabel={t("nav.residentLabel")} nav={residentNav(t)} account={account}>
      {resident ? <DisasterBanner residentId={resident.residentId} /> : null}
      {children}
    </AppShell>
  );
}
