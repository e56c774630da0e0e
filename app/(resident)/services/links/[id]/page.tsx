import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/app/_components/page-header";
import { StepUpNotice } from "@/app/_components/step-up-notice";
import { Breadcrumbs } from "@/app/_components/ui/breadcrumbs";
import { LinkButton } from "@/app/_components/ui/link-button";
import { Notice } from "@/app/_components/ui/notice";
import { residentPage } from "@/app/_server/page-context";
import { getDb } from "@/lib/db/client";
import { formatDateBoth } from "@/lib/i18n/dates";
import { getResidentLinkRequest } from "@/lib/links/resident-link-requests";
import { LinkSignClient } from "./link-sign-client";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("links"))("signTitle") };
}

/**
 * /services/links/{id} — a pending link request that asks for a signature: what it allows, the
 * exact consent the card signs, then signing with the card (the only way to approve it). Any
 * other id (not pending, not the resident's, no signature asked) says it is not there.
 */
export default async function LinkSignPage({ params }: { params: Promise<{ id: string }> }) {
  const { t, locale, resident, card } = await residentPage("links");
  const { id } = await params;
  if (!card) {
    return (
      <>
        <PageHeader title={t("signTitle")} />
        <StepUpNotice next={`/services/links/${id}`} loggedIn={resident !== null} />
      </>
    );
  }
  const found = await getResidentLinkRequest(await getDb(), { residentId: card.residentId, linkRequestId: id });
  const request = found?.signatureRequired ? found : undefined;
  const name = (p: { name: string; nameEn: string }) => (locale === "en" ? p.nameEn || p.name : p.name);
  return (
    <>
      <Breadcrumbs
        aria-label={t("title")}
        items={[{ label: t("title"), href: "/services/links" }, { label: t("signTitle") }]}
      />
      <PageHeader title={t("signTitle")} lead={t("signLead")} />
      {!request?.canonical ? (
        <Notice tone="error" title={t("signErrorTitle")} role="alert" data-error-code="NOT_FOUND">
          <p>{t("signNotFound")}</p>
        </Notice>
      ) : (
        <div className="space-y-8" data-link-request-id={request.id}>
          <dl className="grid gap-x-6 gap-y-2 sm:grid-cols-[auto_1fr]">
            <dt className="font-bold">{t("colPartner")}</dt>
            <dd>
              <bdi>{name(request.partner)}</bdi>
            </dd>
            <dt className="font-bold">{t("requestPurpose")}</dt>
            <dd>
              <bdi>{request.purposeText}</bdi>
            </dd>
            <dt className="font-bold">{t("requestAllows")}</dt>
            <dd>
              <ul className="list-disc pl-6">
                {request.purposes.map((p) => (
                  <li key={p}>{t(`purposes.${p}`)}</li>
                ))}
              </ul>
            </dd>
            <dt className="font-bold">{t("requestReference")}</dt>
            <dd className="font-mono">
              <bdi>{request.partnerRef}</bdi>
            </dd>
            <dt className="font-bold">{t("requestExpires")}</dt>
            <dd>{formatDateBoth(request.expiresAt, locale)}</dd>
          </dl>
          <section aria-labelledby="link-consent" className="space-y-2">
            <h2 id="link-consent" className="text-std-20B-150">
              {t("signedText")}
            </h2>
            <pre
              className="overflow-x-auto whitespace-pre-wrap break-all rounded-6 bg-solid-gray-50 p-3 text-std-14N-170"
              data-testid="link-consent-text"
            >
              <bdi>{request.canonical}</bdi>
            </pre>
          </section>
          <LinkSignClient id={request.id} canonical={request.canonical} />
        </div>
      )}
      <LinkButton href="/services/links" variant="outline">
        {t("signBack")}
      </LinkButton>
    </>
  );
}
