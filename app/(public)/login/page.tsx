import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/app/_components/page-header";
import { Breadcrumbs } from "@/app/_components/ui/breadcrumbs";
import { Card } from "@/app/_components/ui/card";
import { Notice } from "@/app/_components/ui/notice";
import { CardLoginClient } from "./card-login-client";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("login");
  return { title: t("title") };
}

/** /login: what is needed and how card login works; the card flow itself lives in CardLoginClient. */
export default async function LoginPage() {
  const t = await getTranslations();
  return (
    <div className="space-y-8">
      <Breadcrumbs
        aria-label={t("common.breadcrumbLabel")}
        items={[{ label: t("common.home"), href: "/" }, { label: t("login.title") }]}
      />
      <PageHeader title={t("login.title")} lead={t("login.lead")} />
      <div className="grid gap-8 lg:grid-cols-[2fr_1fr]">
        <CardLoginClient />
        <div className="space-y-6">
          <Card>
            <h2 className="text-std-20B-150">{t("login.needTitle")}</h2>
            <ul className="mt-3 list-disc space-y-2 pl-6 text-std-16N-175">
              <li>{t("login.need1")}</li>
              <li>{t("login.need2")}</li>
              <li>{t("login.need3")}</li>
              <li>{t("login.need4")}</li>
            </ul>
          </Card>
          <Notice tone="info" title={t("login.securityTitle")}>
            <p>{t("login.securityBody")}</p>
          </Notice>
        </div>
      </div>
    </div>
  );
}
