import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { LoginRequired } from "@/app/_components/login-required";
import { PageHeader } from "@/app/_components/page-header";
import { Breadcrumbs } from "@/app/_components/ui/breadcrumbs";
import { Button } from "@/app/_components/ui/button";
import { Input } from "@/app/_components/ui/input";
import { Label } from "@/app/_components/ui/label";
import { Notice } from "@/app/_components/ui/notice";
import { SupportText } from "@/app/_components/ui/support-text";
import { staffPage } from "@/app/_server/page-context";
import { BUS_REPORT_ROLES } from "@/lib/services/bus/monthly-report";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("admin"))("transportTitle") };
}

/** /admin/transport — the community bus's monthly ride and billing report (CSV download). */
export default async function AdminTransportPage() {
  const { t, staff } = await staffPage("adminTransport");
  const ta = await getTranslations("admin");
  const tc = await getTranslations("common");
  const allowed = staff?.roles.some((r) => (BUS_REPORT_ROLES as readonly string[]).includes(r)) ?? false;
  const lastMonth = (() => {
    const d = new Date(Date.now() + 9 * 3600_000);
    d.setUTCDate(1);
    d.setUTCMonth(d.getUTCMonth() - 1);
    return d.toISOString().slice(0, 7);
  })();
  return (
    <div className="space-y-6">
      <Breadcrumbs
        aria-label={tc("breadcrumbLabel")}
        items={[{ label: ta("title"), href: "/admin" }, { label: ta("transportTitle") }]}
      />
      <PageHeader title={ta("transportTitle")} lead={ta("transportLead")} />
      {!staff ? (
        <LoginRequired kind="staff" />
      ) : !allowed ? (
        <Notice tone="warning" title={t("forbiddenTitle")} data-error-code="FORBIDDEN">
          <p>{t("forbiddenBody")}</p>
        </Notice>
      ) : (
        <form method="get" action="/admin/transport/report" className="max-w-[40rem] space-y-4">
          <h2 className="text-std-20B-150">{t("reportTitle")}</h2>
          <p>{t("reportLead")}</p>
          <div className="space-y-2">
            <Label htmlFor="bus-report-month">{t("month")}</Label>
            <SupportText id="bus-report-month-hint">{t("monthHint")}</SupportText>
            <Input
              id="bus-report-month"
              name="month"
              type="month"
              required
              defaultValue={lastMonth}
              aria-describedby="bus-report-month-hint"
              pattern="20[0-9]{2}-(0[1-9]|1[0-2])"
            />
          </div>
          <Button type="submit" data-testid="bus-report-download">
            {t("download")}
          </Button>
        </form>
      )}
    </div>
  );
}
