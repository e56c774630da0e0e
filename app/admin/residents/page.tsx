import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ConsoleSection } from "@/app/_components/console-section";
import { staffPage } from "@/app/_server/page-context";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("admin"))("residentsTitle") };
}

export default async function AdminResidentsPage() {
  const { staff } = await staffPage("admin");
  return <ConsoleSection namespace="admin" section="residents" authorized={staff !== null} />;
}
