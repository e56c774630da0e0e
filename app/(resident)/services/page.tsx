import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { LoginRequired } from "@/app/_components/login-required";
import { PageHeader } from "@/app/_components/page-header";
import { Card } from "@/app/_components/ui/card";
import { EmptyState } from "@/app/_components/ui/empty-state";
import { LinkButton } from "@/app/_components/ui/link-button";
import { residentPage } from "@/app/_server/page-context";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("services");
  return { title: t("title") };
}

export default async function ServicesPage() {
  const { t, resident } = await residentPage("services");
  return (
    <>
      <PageHeader title={t("title")} lead={t("lead")} />
      {resident ? (
        <div className="space-y-8">
          <Card data-testid="services-applications">
            <h2 className="text-std-20B-150">{t("applicationsTitle")}</h2>
            <p className="mt-2 mb-4 text-std-16N-175">{t("applicationsBody")}</p>
            <LinkButton href="/services/applications">{t("applicationsLink")}</LinkButton>
          </Card>
          <EmptyState title={t("emptyTitle")}>
            <p>{t("emptyBody")}</p>
          </EmptyState>
        </div>
      ) : (
        <LoginRequired />
      )}
    </>
  );
}
