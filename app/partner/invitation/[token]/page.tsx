import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/app/_components/page-header";
import { Notice } from "@/app/_components/ui/notice";
import { pageContext } from "@/app/_server/page-context";
import { getDb } from "@/lib/db/client";
import { findPartnerInvitation } from "@/lib/partners/onboard-partner";
import { AcceptInvitationForm } from "./accept-invitation-form";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("partnerInvitation"))("title"), referrer: "no-referrer" };
}

/**
 * /partner/invitation/<token>: the one-time link staff sent a new partner's owner
 * (lib/partners/onboard-partner.ts). The owner sets a password, then signs in at /partner/login.
 */
export default async function PartnerInvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const { t, locale } = await pageContext("partnerInvitation");
  const invitation = await findPartnerInvitation(await getDb(), token);
  return (
    <div className="max-w-xl space-y-8">
      <PageHeader title={t("title")} lead={invitation ? t("lead") : undefined} />
      {invitation ? (
        <>
          <dl className="grid gap-1" data-testid="invitation-details">
            <dt className="font-bold">{t("partner")}</dt>
            <dd>
              <bdi>{locale === "en" ? invitation.partnerNameEn : invitation.partnerName}</bdi>
            </dd>
            <dt className="font-bold">{t("email")}</dt>
            <dd>
              <bdi>{invitation.email}</bdi>
            </dd>
          </dl>
          <AcceptInvitationForm token={token} />
        </>
      ) : (
        <Notice tone="error" title={t("invalidTitle")} data-testid="invitation-invalid">
          <p>{t("invalid")}</p>
          <p>
            <Link href="/partner/login" className="text-primary underline">
              {t("toLogin")}
            </Link>
          </p>
        </Notice>
      )}
    </div>
  );
}
