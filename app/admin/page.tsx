import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ConsoleOverview } from "@/app/_components/console-overview";
import { staffPage } from "@/app/_server/page-context";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("admin"))("title") };
}

export default async function AdminHomePage() {
  const { staff } = await staffPage("admin");
  return (
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
      ]}
    />
  );
}
