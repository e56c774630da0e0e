import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { AppShell } from "./_components/shell/app-shell";
import { publicNav } from "./_components/shell/nav-config";
import { LinkButton } from "./_components/ui/link-button";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("errors"))("notFoundTitle") };
}

/** 404 for every unknown URL (and for notFound() calls). */
export default async function NotFound() {
  const t = await getTranslations();
  return (
    <AppShell navLabel={t("nav.publicLabel")} nav={publicNav(t)}>
      <div className="space-y-4" data-not-found="">
        <p className="text-std-16B-170 text-ink-muted">404</p>
        <h1 className="text-std-32B-150">{t("errors.notFoundTitle")}</h1>
        <p className="max-w-[42em] text-std-16N-175">{t("errors.notFoundBody")}</p>
        <LinkButton href="/">{t("common.backHome")}</LinkButton>
      </div>
    </AppShell>
  );
}
