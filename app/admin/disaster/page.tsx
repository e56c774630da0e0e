import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ConsoleSection } from "@/app/_components/console-section";
import { staffPage } from "@/app/_server/page-context";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("admin"))("disasterTitle") };
}

export default async function AdminDisasterPage() {
  const { staff } = await staffPage("admin");
  return <ConsoleSection namespace="admin" section="disaster" authorized={staff !== null} />;
}
