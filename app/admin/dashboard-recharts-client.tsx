"use client";

import { Bar, BarChart, CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export type TChartProps = {
  kind: "bar" | "line";
  data: { label: string; value: number }[];
  /** What the chart says, for assistive technology (the chart is one image; the table beside it has the numbers). */
  label: string;
  /** A DADS colour token (CSS variable) of the bars or the line. */
  color?: "primary" | "success" | "warning" | "error";
};

/**
 * One recharts chart as a single image (role img with its label): recharts' own keyboard layer
 * is off, since the same numbers are in the table under it.
 */
export function DashboardRechartsClient({ kind, data, label, color = "primary" }: TChartProps) {
  const fill = `var(--color-${color})`;
  return (
    <div role="img" aria-label={label} className="h-64 w-full" data-chart-ready="">
      <ResponsiveContainer width="100%" height="100%">
        {kind === "bar" ? (
          <BarChart data={data} accessibilityLayer={false} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" tick={{ fontSize: 14 }} />
            <YAxis allowDecimals={false} tick={{ fontSize: 14 }} width={40} />
            <Tooltip />
            <Bar dataKey="value" fill={fill} isAnimationActive={false} />
          </BarChart>
        ) : (
          <LineChart data={data} accessibilityLayer={false} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" tick={{ fontSize: 14 }} minTickGap={16} />
            <YAxis allowDecimals={false} tick={{ fontSize: 14 }} width={40} />
            <Tooltip />
            <Line dataKey="value" stroke={fill} strokeWidth={2} dot={false} isAnimationActive={false} />
          </LineChart>
        )}
      </ResponsiveContainer>
    </div>
  );
}
