import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { LoginRequired } from "@/app/_components/login-required";
import { PageHeader } from "@/app/_components/page-header";
import { EmptyState } from "@/app/_components/ui/empty-state";
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
          <EmptyState title={t("emptyTitle")}>
            <p>{t("emptyBody")}</p>
          </EmptyState>
          <nav aria-label={t("title")}>
            <ul className="space-y-2">
              <li>
                <Link href="/services/payment" className="text-std-18B-160 underline">
                  {t("paymentEntry")}
                </Link>
                <p>{t("paymentEntryBody")}</p>
              </li>
            </ul>
          </nav>
        </div>
      ) : (
        <LoginRequired />
      )}
    </>
  );
}
