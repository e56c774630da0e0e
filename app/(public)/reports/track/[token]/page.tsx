import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/app/_components/page-header";
import { Notice } from "@/app/_components/ui/notice";
import { orRefusal, pageContext } from "@/app/_server/page-context";
import { getDb } from "@/lib/db/client";
import { reportByTrackingToken } from "@/lib/reports/track";
import { ReportView } from "@/app/_components/report-view";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("reports"))("trackTitle"), referrer: "no-referrer" };
}

/** A visitor's private tracking page: the token in the link is the only key to it. */
export default async function TrackReportPage({
  params,
  searchParams,
}: {
  params: Promise<{ token: string }>;
  searchParams: Promise<{ sent?: string }>;
}) {
  const { t, locale } = await pageContext("reports");
  const { token } = await params;
  const { sent } = await searchParams;
  const [report, refusal] = await orRefusal(reportByTrackingToken(await getDb(), token), ["REPORT_NOT_FOUND"]);
  return (
    <>
      <PageHeader title={t("trackTitle")} />
      {refusal ? (
        <Notice tone="error" title={t("errors.REPORT_NOT_FOUND")} data-error-code={refusal} />
      ) : (
        <div className="space-y-6">
          {sent ? (
            <Notice tone="success" title={t("sentTitle")} data-testid="report-sent">
              <p>{t("sentVisitor")}</p>
            </Notice>
          ) : null}
          <ReportView
            report={report}
            t={t}
            locale={locale}
            photoUrl={report.hasPhoto ? `/reports/${report.id}/photo?t=${encodeURIComponent(token)}` : null}
          />
        </div>
      )}
    </>
  );
}
