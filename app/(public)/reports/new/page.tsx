import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/app/_components/page-header";
import { Button } from "@/app/_components/ui/button";
import { Input } from "@/app/_components/ui/input";
import { Label } from "@/app/_components/ui/label";
import { Notice } from "@/app/_components/ui/notice";
import { SupportText } from "@/app/_components/ui/support-text";
import { pageContext } from "@/app/_server/page-context";
import { requireResident } from "@/app/_server/session";
import { REPORT_CATEGORIES } from "@/lib/reports/categories";
import { UseLocationClient } from "./use-location-client";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("reports"))("newTitle") };
}

/** The report form: public (visitors need no account); a signed-in resident's report is theirs. */
export default async function NewReportPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const { t } = await pageContext("reports");
  const { error } = await searchParams;
  const resident = await requireResident();
  return (
    <>
      <PageHeader title={t("newTitle")} lead={t("newLead")} />
      {error ? (
        <Notice tone="error" title={t("sendFailed")} role="alert" data-error-code={error} className="mb-6">
          <p>{t.has(`errors.${error}`) ? t(`errors.${error}`) : t("errors.GENERIC", { code: error })}</p>
        </Notice>
      ) : null}
      <p className="mb-6 text-std-16N-170" data-testid="report-as">
        {resident ? t("sendingAsResident", { name: resident.displayName }) : t("sendingAsVisitor")}
      </p>
      <form
        method="post"
        action="/reports/submit"
        encType="multipart/form-data"
        className="max-w-[40rem] space-y-8"
        data-testid="report-form"
      >
        <fieldset className="space-y-2">
          <legend className="text-std-17B-170">{t("category")}</legend>
          {REPORT_CATEGORIES.map((c, i) => (
            <div key={c} className="flex items-center gap-2">
              <input
                type="radio"
                id={`category-${c}`}
                name="category"
                value={c}
                required
                defaultChecked={i === 0}
                className="size-5"
              />
              <label htmlFor={`category-${c}`}>{t(`categories.${c}`)}</label>
            </div>
          ))}
        </fieldset>
        <div className="space-y-2">
          <Label htmlFor="report-description" requirement={t("required")}>
            {t("description")}
          </Label>
          <SupportText id="report-description-hint">{t("descriptionHint")}</SupportText>
          <textarea
            id="report-description"
            name="description"
            required
            maxLength={2000}
            rows={4}
            aria-describedby="report-description-hint"
            className="block w-full rounded-6 border border-line-strong p-2"
          />
        </div>
        <fieldset className="space-y-3">
          <legend className="text-std-17B-170">{t("location")}</legend>
          <SupportText>{t("locationHint")}</SupportText>
          <UseLocationClient latitudeId="report-latitude" longitudeId="report-longitude" />
          <div className="flex flex-wrap gap-4">
            <div className="space-y-1">
              <Label htmlFor="report-latitude" requirement={t("required")}>
                {t("latitude")}
              </Label>
              <Input id="report-latitude" name="latitude" inputMode="decimal" required autoComplete="off" />
            </div>
            <div className="space-y-1">
              <Label htmlFor="report-longitude" requirement={t("required")}>
                {t("longitude")}
              </Label>
              <Input id="report-longitude" name="longitude" inputMode="decimal" required autoComplete="off" />
            </div>
          </div>
        </fieldset>
        <div className="space-y-2">
          <Label htmlFor="report-photo" requirement={t("optional")}>
            {t("photo")}
          </Label>
          <SupportText id="report-photo-hint">{t("photoHint")}</SupportText>
          <input
            id="report-photo"
            name="photo"
            type="file"
            accept="image/jpeg,image/png,image/webp"
            aria-describedby="report-photo-hint"
            className="block"
          />
        </div>
        <Button type="submit" data-testid="report-submit">
          {t("send")}
        </Button>
      </form>
    </>
  );
}
