import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ConsoleOverview } from "@/app/_components/console-overview";
import { staffPage } from "@/app/_server/page-context";
import { DASHBOARD_RANGES, getDashboardStats } from "@/lib/admin-stats/dashboard-stats";
import { getDb } from "@/lib/db/client";
import { Dashboard } from "./dashboard";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("admin"))("title") };
}

/** /admin — the console home: its sections, and for staff the dashboard over ?range=7|30|90 days (default 30). */
export default async function AdminHomePage({ searchParams }: { searchParams: Promise<{ range?: string }> }) {
  const { staff } = await staffPage("admin");
  const wanted = Number((await searchParams).range);
  const days = DASHBOARD_RANGES.find((r) => r === wanted) ?? 30;
  const stats = staff ? await getDashboardStats(await getDb(), { days }) : null;
  return (
    <div className="space-y-12">
      <ConsoleOverview
        namespace="admin"
        authorized={staff !== null}
        sections={[
          { key: "residents", href: "/admin/residents" },
          { key: "disaster", href: "/admin/disaster" },
          { key: "audit", href: "/admin/audit" },
          { key: "partners", href: "/admin/partners" },
          { key: "emergency", href: "/admin/emergency" },
          { key: "transport", href: "/admin/transport" },
          { key: "applications", href: "/admin/applications" },
          { key: "notices", href: "/admin/notices" },
        ]}
      />
      {stats ? <Dashboard t={await getTranslations("adminDashboard")} stats={stats} days={days} /> : null}
    </div>
  );
}
