import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/app/_components/page-header";
import { Button } from "@/app/_components/ui/button";
import { LinkButton } from "@/app/_components/ui/link-button";
import { Notice } from "@/app/_components/ui/notice";
import { orRefusal, residentPage } from "@/app/_server/page-context";
import { getDb } from "@/lib/db/client";
import { kickNotificationMail } from "@/lib/notifications/smtp-transport";
import { formatDateBoth } from "@/lib/i18n/dates";
import { getProxyDocumentOrThrow } from "@/lib/proxies/get-proxy-document";
import { DownloadButtons, RawJsonDetails } from "@/app/_components/mailbox/document-data";
import { SignatureDetails } from "@/app/_components/mailbox/signature-details";
import { StepUpNotice } from "@/app/_components/step-up-notice";
import { archiveProxyDocumentAction } from "../actions";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("proxyMailbox");
  return { title: t("fieldsTitle") };
}

type TProps = { params: Promise<{ principalId: string; documentId: string }> };

/** /proxy/<principalId>/mailbox/<documentId> — one document of the principal, read by the proxy (audited, notified). */
export default async function ProxyDocumentPage({ params }: TProps) {
  const { t, locale, resident, card, channel, requestMetadata } = await residentPage("proxyMailbox");
  const { principalId, documentId } = await params;
  const back = `/proxy/${encodeURIComponent(principalId)}/mailbox`;
  if (!card) {
    return (
      <>
        <PageHeader title={t("fieldsTitle")} />
        <StepUpNotice next={`${back}/${encodeURIComponent(documentId)}`} loggedIn={resident !== null} />
      </>
    );
  }
  const [doc, refused] = await orRefusal(
    getProxyDocumentOrThrow(await getDb(), {
      proxyId: card.residentId,
      principalId,
      documentId,
      channel,
      requestMetadata,
    }),
    ["PROXY_NOT_AUTHORIZED", "NOT_FOUND"],
  );
  if (refused === null) kickNotificationMail(getDb); // the principal's "your proxy read" mail
  if (refused !== null) {
    return (
      <>
        <PageHeader title={t("fieldsTitle")} />
        <Notice
          tone="error"
          title={refused === "NOT_FOUND" ? t("notFoundTitle") : t("forbiddenTitle")}
          data-proxy-error={refused}
        >
          {refused === "NOT_FOUND" ? null : <p>{t("forbiddenBody")}</p>}
          <LinkButton href={back} variant="outline" className="mt-4">
            {t("back")}
          </LinkButton>
        </Notice>
      </>
    );
  }
  return (
    <>
      <PageHeader
        title={<bdi>{doc.subject[locale]}</bdi>}
        lead={`${locale === "en" ? doc.issuer.nameEn : doc.issuer.name}・${formatDateBoth(doc.createdAt, locale)}`}
      />
      <div className="space-y-8">
        <section aria-labelledby="proxy-doc-fields">
          <h2 id="proxy-doc-fields" className="text-std-20B-150">
            {t("fieldsTitle")}
          </h2>
          <dl
            className="mt-4 grid grid-cols-1 gap-x-6 gap-y-2 sm:grid-cols-[max-content_1fr]"
            data-testid="proxy-document-fields"
          >
            {doc.fields[locale].map((f) => (
              <div key={f.label} className="contents">
                <dt className="text-std-16B-170">{f.label}</dt>
                <dd className="text-std-16N-170">{f.value}</dd>
              </div>
            ))}
          </dl>
        </section>
        <SignatureDetails report={doc.verification} locale={locale} />
        <RawJsonDetails payload={doc.payload} />
        <div className="flex flex-wrap gap-4">
          <DownloadButtons base={`${back}/${encodeURIComponent(doc.id)}`} />
          {doc.canAct ? (
            <form action={archiveProxyDocumentAction}>
              <input type="hidden" name="principalId" value={principalId} />
              <input type="hidden" name="documentId" value={doc.id} />
              <input type="hidden" name="archived" value={doc.archivedAt ? "0" : "1"} />
              <Button type="submit" variant="outline">
                {doc.archivedAt ? t("restore") : t("archive")}
              </Button>
            </form>
          ) : null}
          <LinkButton href={back} variant="outline">
            {t("back")}
          </LinkButton>
        </div>
      </div>
    </>
  );
}
