"use client";

import dynamic from "next/dynamic";
import type { TChartProps } from "./dashboard-recharts-client";

/**
 * A dashboard chart, loaded after the page (recharts is only fetched by the browser, and only on
 * the console home): the numbers are already on the page as a summary and a table, the chart
 * enhances them.
 */
const Chart = dynamic(() => import("./dashboard-recharts-client").then((m) => m.DashboardRechartsClient), {
  ssr: false,
  loading: () => <div className="h-64" aria-hidden="true" />,
});

export function DashboardChartClient(props: TChartProps) {
  return <Chart {...props} />;
}
