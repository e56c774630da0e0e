import Link from "next/link";
import { Card } from "@/app/_components/ui/card";
import { Table } from "@/app/_components/ui/table";
import type { TTranslator } from "@/app/_server/page-context";
import { DASHBOARD_RANGES, type TDashboardRange, type TDashboardStats } from "@/lib/admin-stats/dashboard-stats";
import { DashboardChartClient } from "./dashboard-chart-client";
import type { TChartProps } from "./dashboard-recharts-client";

type TRow = { label: string; value: number; extra?: number };

/** "2026-12-08" → "12/08" on the axis. */
const shortDay = (day: string) => day.slice(5).replace("-", "/");

/**
 * One chart of the dashboard, server-rendered: its title, a sentence that says what it shows, the
 * chart (a lazy client leaf) and the same numbers as a table in a disclosure.
 */
function ChartFigure({
  id,
  t,
  title,
  summary,
  kind,
  rows,
  colLabel,
  extraLabel,
  color,
}: {
  id: string;
  t: TTranslator;
  title: string;
  summary: string;
  kind: TChartProps["kind"];
  rows: TRow[];
  colLabel: string;
  extraLabel?: string;
  color?: TChartProps["color"];
}) {
  const empty = rows.every((r) => r.value === 0);
  return (
    <Card className="flex-1">
      <figure aria-labelledby={`${id}-title`} data-testid={`chart-${id}`} className="space-y-3">
        <h3 id={`${id}-title`} className="text-std-18B-160">
          {title}
        </h3>
        <p className="text-std-16N-170" data-testid={`chart-${id}-summary`}>
          {summary}
        </p>
        {empty ? (
          <p className="text-ink-muted">{t("empty")}</p>
        ) : (
          <DashboardChartClient
            kind={kind}
            color={color}
            label={`${title}: ${summary}`}
            data={rows.map((r) => ({ label: r.label, value: r.value }))}
          />
        )}
        <details>
          <summary className="cursor-pointer text-primary underline">{t("tableToggle")}</summary>
          <div className="mt-2">
            <Table caption={title} regionLabel={title} data-testid={`chart-${id}-table`}>
              <thead>
                <tr>
                  <th scope="col">{colLabel}</th>
                  <th scope="col">{t("colCount")}</th>
                  {extraLabel ? <th scope="col">{extraLabel}</th> : null}
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.label}>
                    <th scope="row">{r.label}</th>
                    <td>{r.value}</td>
                    {extraLabel ? <td>{r.extra ?? 0}</td> : null}
                  </tr>
                ))}
              </tbody>
            </Table>
          </div>
        </details>
      </figure>
    </Card>
  );
}

const sum = (rows: { count: number }[]) => rows.reduce((n, r) => n + r.count, 0);

/** The console home's dashboard (lib/admin-stats): five charts over the chosen period. */
export function Dashboard({ t, stats, days }: { t: TTranslator; stats: TDashboardStats; days: TDashboardRange }) {
  const busiest = stats.deliveries.reduce((a, b) => (b.count > a.count ? b : a), stats.deliveries[0]!);
  return (
    <section aria-labelledby="dashboard-title" className="space-y-6" data-testid="dashboard">
      <div className="space-y-2">
        <h2 id="dashboard-title" className="text-std-24B-150">
          {t("title")}
        </h2>
        <p>{t("lead")}</p>
      </div>
      <nav aria-label={t("rangeLabel")}>
        <ul className="flex flex-wrap gap-4">
          {DASHBOARD_RANGES.map((r) => (
            <li key={r}>
              <Link
                href={`/admin?range=${r}`}
                aria-current={r === days ? "page" : undefined}
                className={r === days ? "font-bold underline decoration-2" : "underline"}
              >
                {t(`range.${r}`)}
              </Link>
            </li>
          ))}
        </ul>
        <p className="mt-2 text-ink-muted">{t("rangeNote", { from: stats.from, to: stats.to })}</p>
      </nav>
      <div className="grid gap-6 lg:grid-cols-2">
        <ChartFigure
          id="logins"
          t={t}
          kind="bar"
          title={t("loginsTitle")}
          summary={t("loginsSummary", { total: sum(stats.logins) })}
          colLabel={t("colChannel")}
          rows={stats.logins.map((l) => ({ label: t(`channel.${l.channel}`), value: l.count }))}
        />
        <ChartFigure
          id="deliveries"
          t={t}
          kind="line"
          title={t("deliveriesTitle")}
          summary={t("deliveriesSummary", {
            total: sum(stats.deliveries),
            maxDay: busiest.day,
            max: busiest.count,
          })}
          colLabel={t("colDay")}
          rows={stats.deliveries.map((d) => ({ label: shortDay(d.day), value: d.count }))}
        />
        <ChartFigure
          id="applications"
          t={t}
          kind="bar"
          color="success"
          title={t("applicationsTitle")}
          summary={t("applicationsSummary", { total: sum(stats.applications) })}
          colLabel={t("colStatus")}
          rows={stats.applications.map((a) => ({ label: t(`applicationStatus.${a.status}`), value: a.count }))}
        />
        <ChartFigure
          id="orders"
          t={t}
          kind="bar"
          color="error"
          title={t("ordersTitle")}
          summary={t("ordersSummary", {
            total: sum(stats.evacuationOrders),
            active: stats.evacuationOrders.reduce((n, o) => n + o.active, 0),
          })}
          colLabel={t("colLevel")}
          extraLabel={t("colActive")}
          rows={stats.evacuationOrders.map((o) => ({
            label: t("level", { level: o.level }),
            value: o.count,
            extra: o.active,
          }))}
        />
        <ChartFigure
          id="api"
          t={t}
          kind="line"
          title={t("apiTitle")}
          summary={t("apiSummary", { total: sum(stats.apiRequests) })}
          colLabel={t("colDay")}
          rows={stats.apiRequests.map((d) => ({ label: shortDay(d.day), value: d.count }))}
        />
      </div>
    </section>
  );
}
