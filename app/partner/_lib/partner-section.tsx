import { getTranslations } from "next-intl/server";
import { LoginRequired } from "@/app/_components/login-required";
import { PageHeader } from "@/app/_components/page-header";
import { Breadcrumbs } from "@/app/_components/ui/breadcrumbs";

/** Frame of one partner console page: breadcrumbs, heading, lead; the login prompt when not authorized. */
export async function PartnerSection({
  section,
  authorized,
  children,
}: {
  section: "credentials" | "webhooks" | "documents" | "usage" | "users" | "password";
  authorized: boolean;
  children?: React.ReactNode;
}) {
  const t = await getTranslations();
  return (
    <div className="space-y-8">
      <Breadcrumbs
        aria-label={t("common.breadcrumbLabel")}
        items={[{ label: t("partner.title"), href: "/partner" }, { label: t(`partner.${section}Title`) }]}
      />
      <PageHeader title={t(`partner.${section}Title`)} lead={t(`partner.${section}Lead`)} />
      {authorized ? children : <LoginRequired kind="partner" />}
    </div>
  );
}
