import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { LoginRequired } from "@/app/_components/login-required";
import { PageHeader } from "@/app/_components/page-header";
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
        <div className="space-y-6">
          <ul className="grid gap-4 md:grid-cols-2">
            <li>
              <LinkButton href="/services/medical" variant="outline" size="lg" className="w-full">
                {t("medicalLink")}
              </LinkButton>
            </li>
          </ul>
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
