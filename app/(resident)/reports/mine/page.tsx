import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { LoginRequired } from "@/app/_components/login-required";
import { PageHeader } from "@/app/_components/page-header";
import { EmptyState } from "@/app/_components/ui/empty-state";
import { LinkButton } from "@/app/_components/ui/link-button";
import { Notice } from "@/app/_components/ui/notice";
import { residentPage } from "@/app/_server/page-context";
import { getDb } from "@/lib/db/client";
import { reportsOfResident } from "@/lib/reports/track";
import { ReportView } from "@/app/_components/report-view";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("reports"))("mineTitle") };
}

/** The signed-in resident's own reports and their status. */
export default async function MyReportsPage({ searchParams }: { searchParams: Promise<{ sent?: string }> }) {
  const { t, locale, resident } = await residentPage("reports");
  if (!resident) return <LoginRequired />;
  const { sent } = await searchParams;
  const reports = await reportsOfResident(await getDb(), resident.residentId);
  return (
    <>
      <PageHeader title={t("mineTitle")}>
        <LinkButton href="/reports/new">{t("newTitle")}</LinkButton>
      </PageHeader>
      {sent ? (
        <Notice tone="success" title={t("sentTitle")} className="mb-6" data-testid="report-sent">
          <p>{t("sentResident")}</p>
        </Notice>
      ) : null}
      {reports.length === 0 ? (
        <EmptyState title={t("mineEmpty")} />
      ) : (
        <div className="space-y-4">
          {reports.map((r) => (
            <ReportView
              key={r.id}
              report={r}
              t={t}
              locale={locale}
              photoUrl={r.hasPhoto ? `/reports/${r.id}/photo` : null}
            />
          ))}
        </div>
      )}
    </>
  );
}
