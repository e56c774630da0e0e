import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { partnerPage } from "@/app/_server/page-context";
import { PartnerSection } from "../_lib/partner-section";
import { ChangePasswordForm } from "./password-client";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("partner"))("passwordTitle") };
}

/** /partner/password: any logged-in console user changes their own password (lib/partners/change-partner-user-password.ts). */
export default async function PartnerPasswordPage() {
  const { partner } = await partnerPage("partner");
  return (
    <PartnerSection section="password" authorized={partner !== null}>
      <ChangePasswordForm />
    </PartnerSection>
  );
}
