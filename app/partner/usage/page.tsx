import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Table } from "@/app/_components/ui/table";
import { partnerPage } from "@/app/_server/page-context";
import { getDb } from "@/lib/db/client";
import { formatDateTime, formatIsoDay } from "@/lib/i18n/dates";
import { getPartnerApiUsage } from "@/lib/partners/api-usage";
import { PartnerSection } from "../_lib/partner-section";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("partner"))("usageTitle") };
}

const DAY_MS = 24 * 3_600_000;

/** /partner/usage: API calls per credential per day and hour over the last 7 days (PartnerApiUsage). */
export default async function PartnerUsagePage() {
  const { t, locale, partner } = await partnerPage("partnerUsage");
  if (!partner) return <PartnerSection section="usage" authorized={false} />;
  const [tp, tc] = [await getTranslations("partner"), await getTranslations("partnerCredentials")];
  const usage = await getPartnerApiUsage(await getDb(), { partnerId: partner.partnerId });
  const days = Array.from({ length: 7 }, (_, i) => new Date(usage.from.getTime() + i * DAY_MS));
  const creds = usage.totals;
  const perDay = new Map(usage.daily.map((d) => [`${d.credentialId}|${d.start.getTime()}`, d.count]));
  const dayTotals = days.map((d) =>
    creds.reduce((s, c) => s + (perDay.get(`${c.credentialId}|${d.getTime()}`) ?? 0), 0),
  );
  const max = Math.max(1, ...dayTotals);
  return (
    <PartnerSection section="usage" authorized>
      <p>{t("limitNote")}</p>
      {creds.length === 0 ? (
        <p data-testid="usage-empty">{tp("usageEmpty")}</p>
      ) : (
        <>
          <Table caption={t("totalsCaption")} regionLabel={t("totalsRegion")} data-testid="usage-totals">
            <thead>
              <tr>
                <th scope="col">{t("colCredential")}</th>
                <th scope="col">{t("colMode")}</th>
                <th scope="col">{t("colRequests")}</th>
              </tr>
            </thead>
            <tbody>
              {creds.map((c) => (
                <tr key={c.credentialId} data-client-id={c.clientId}>
                  <th scope="row" className="font-normal">
                    <code>{c.clientId}</code>
                  </th>
                  <td>{tc(`mode${c.mode}`)}</td>
                  <td data-testid="usage-total">{c.count}</td>
                </tr>
              ))}
            </tbody>
          </Table>

          <section aria-labelledby="usage-daily" className="space-y-4">
            <h2 id="usage-daily" className="text-std-20B-150">
              {t("dailyCaption")}
            </h2>
            <div role="img" aria-label={t("chartLabel")} className="space-y-1">
              {days.map((d, i) => (
                <div key={d.getTime()} className="flex items-center gap-3 text-std-16N-170">
                  <span className="w-28 shrink-0">{formatIsoDay(d)}</span>
                  <span
                    className="block h-4 rounded-4 bg-primary"
                    style={{
                      width: `${Math.round((dayTotals[i]! / max) * 100) * 0.6}%`,
                      minWidth: dayTotals[i] ? 4 : 0,
                    }}
                  />
                  <span>{dayTotals[i]}</span>
                </div>
              ))}
            </div>
            <Table caption={t("dailyCaption")} regionLabel={t("dailyRegion")} data-testid="usage-daily">
              <thead>
                <tr>
                  <th scope="col">{t("colDay")}</th>
                  {creds.map((c) => (
                    <th key={c.credentialId} scope="col">
                      <code>{c.clientId}</code>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {days.map((d) => (
                  <tr key={d.getTime()}>
                    <th scope="row" className="font-normal">
                      <time dateTime={formatIsoDay(d)}>{formatIsoDay(d)}</time>
                    </th>
                    {creds.map((c) => (
                      <td key={c.credentialId}>{perDay.get(`${c.credentialId}|${d.getTime()}`) ?? 0}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </Table>
          </section>

          <section aria-labelledby="usage-hourly" className="space-y-4">
            <h2 id="usage-hourly" className="text-std-20B-150">
              {t("hourlyCaption")}
            </h2>
            <Table caption={t("hourlyCaption")} regionLabel={t("hourlyRegion")} data-testid="usage-hourly">
              <thead>
                <tr>
                  <th scope="col">{t("colHour")}</th>
                  <th scope="col">{t("colCredential")}</th>
                  <th scope="col">{t("colRequests")}</th>
                </tr>
              </thead>
              <tbody>
                {[...usage.hourly].reverse().map((h) => (
                  <tr key={`${h.credentialId}|${h.start.getTime()}`}>
                    <th scope="row" className="font-normal">
                      {formatDateTime(h.start, locale)}
                    </th>
                    <td>
                      <code>{h.clientId}</code>
                    </td>
                    <td>{h.count}</td>
                  </tr>
                ))}
              </tbody>
            </Table>
          </section>
        </>
      )}
    </PartnerSection>
  );
}
