import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/app/_components/page-header";
import { PartnerLoginForm } from "./partner-login-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("partnerLogin"))("title") };
}

/** /partner/login: e-mail + password login of partner staff (next-auth provider "partner"). */
export default async function PartnerLoginPage() {
  const t = await getTranslations("partnerLogin");
  return (
    <div className="max-w-xl space-y-8">
      <PageHeader title={t("title")} lead={t("lead")} />
      <PartnerLoginForm />
      <p className="text-std-16N-170">
        <Link href="/login" className="text-primary underline">
          {t("residentLink")}
        </Link>
      </p>
    </div>
  );
}
