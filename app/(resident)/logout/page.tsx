import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/app/_components/page-header";
import { residentPage } from "@/app/_server/page-context";
import { LogoutButton } from "@/app/_components/logout-button";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("logout");
  return { title: t("title") };
}

/** /logout: who is logged in, and the button that ends the session (shared computers). */
export default async function LogoutPage() {
  const { t, resident } = await residentPage("logout");
  return (
    <>
      <PageHeader title={t("title")} lead={resident ? t("lead", { name: resident.displayName }) : t("notLoggedIn")} />
      {resident ? <LogoutButton /> : null}
    </>
  );
}
