import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ConsoleSection } from "@/app/_components/console-section";
import { requirePartner } from "@/app/_server/session";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("partner"))("documentsTitle") };
}

export default async function PartnerDocumentsPage() {
  const partner = await requirePartner();
  return <ConsoleSection namespace="partner" section="documents" authorized={partner !== null} />;
}
