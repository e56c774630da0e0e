import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ConsoleOverview } from "@/app/_components/console-overview";
import { partnerPage } from "@/app/_server/page-context";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("partner"))("title") };
}

export default async function PartnerHomePage() {
  const { partner } = await partnerPage("partner");
  return (
    <ConsoleOverview
      namespace="partner"
      authorized={partner !== null}
      sections={[
        { key: "credentials", href: "/partner/credentials" },
        { key: "webhooks", href: "/partner/webhooks" },
        { key: "documents", href: "/partner/documents" },
        { key: "usage", href: "/partner/usage" },
        { key: "users", href: "/partner/users" },
        { key: "apiDocs", href: "/partner/api-docs" },
      ]}
    />
  );
}
