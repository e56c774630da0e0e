import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { LoginRequired } from "@/app/_components/login-required";
import { PageHeader } from "@/app/_components/page-header";
import Link from "next/link";
import { Card } from "@/app/_components/ui/card";
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
        <ul className="grid gap-4 sm:grid-cols-2" data-testid="services-list">
          <li>
            <Card className="h-full space-y-2 p-5">
              <h2 className="text-std-20B-150">
                <Link href="/services/bus" className="underline">
                  {t("busTitle")}
                </Link>
              </h2>
              <p>{t("busLead")}</p>
            </Card>
          </li>
        </ul>
      ) : (
        <LoginRequired />
      )}
    </>
  );
}
