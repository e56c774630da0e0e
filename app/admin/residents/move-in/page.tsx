import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { LoginRequired } from "@/app/_components/login-required";
import { PageHeader } from "@/app/_components/page-header";
import { Breadcrumbs } from "@/app/_components/ui/breadcrumbs";
import { staffPage } from "@/app/_server/page-context";
import { getDb } from "@/lib/db/client";
import { MoveInFormClient } from "./move-in-form-client";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("adminResidents"))("moveIn.title") };
}

/** /admin/residents/move-in — register a new resident who moves into the town (転入届). */
export default async function MoveInPage() {
  const { t, staff } = await staffPage("adminResidents");
  const tc = await getTranslations();
  if (!staff) return <LoginRequired kind="staff" />;
  const districts = await (await getDb()).district.findMany({
    orderBy: { code: "asc" },
    select: { code: true, name: true },
  });
  return (
    <div className="space-y-6">
      <Breadcrumbs
        aria-label={tc("common.breadcrumbLabel")}
        items={[
          { label: tc("admin.title"), href: "/admin" },
          { label: tc("admin.residentsTitle"), href: "/admin/residents" },
          { label: t("moveIn.title") },
        ]}
      />
      <PageHeader title={t("moveIn.title")} lead={t("moveIn.lead")} />
      <MoveInFormClient districts={districts} />
    </div>
  );
}
