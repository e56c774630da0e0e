import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/app/_components/page-header";
import { StepUpNotice } from "@/app/_components/step-up-notice";
import { Breadcrumbs } from "@/app/_components/ui/breadcrumbs";
import { LinkButton } from "@/app/_components/ui/link-button";
import { Notice } from "@/app/_components/ui/notice";
import { orRefusal, residentPage } from "@/app/_server/page-context";
import { getDb } from "@/lib/db/client";
import { formatDateTime } from "@/lib/i18n/dates";
import { getMySigningRequest } from "@/lib/services/signing-requests/resident-signing-requests";
import { SigningRequestClient } from "./signing-request-client";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("signingRequests"))("title") };
}

/**
 * /services/signing-requests/{id} — one request: the partner, the title and the full text exactly
 * as sent (plain text, line breaks kept, never HTML), the exact data the card signs, then signing
 * with the card (CardSignPanel) or declining. A decided or expired request says so instead.
 */
export default async function SigningRequestPage({ params }: { params: Promise<{ id: string }> }) {
  const { t, locale, resident, card } = await residentPage("signingRequests");
  const { id } = await params;
  if (!card) {
    return (
      <>
        <PageHeader title={t("title")} />
        <StepUpNotice next={`/services/signing-requests/${id}`} loggedIn={resident !== null} />
      </>
    );
  }
  const [request, refusal] = await orRefusal(
    getMySigningRequest(await getDb(), { residentId: card.residentId, signingRequestId: id }),
    ["NOT_FOUND"],
  );
  const crumbs = (
    <Breadcrumbs
      aria-label={t("breadcrumbs")}
      items={[{ label: t("title"), href: "/services/signing-requests" }, { label: request?.title ?? "—" }]}
    />
  );
  if (!request) {
    return (
      <>
        {crumbs}
        <PageHeader title={t("title")} />
        <Notice tone="error" title={t("errorTitle")} role="alert" data-error-code={refusal ?? "NOT_FOUND"}>
          <p>{t("errors.NOT_FOUND")}</p>
        </Notice>
      </>
    );
  }
  const outcome = request.status === "pending" ? null : request.status;
  return (
    <>
      {crumbs}
      <PageHeader title={request.title} />
      <div className="space-y-8" data-signing-status={request.status}>
        <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-2">
          <dt className="text-std-16B-170">{t("partner")}</dt>
          <dd data-testid="signing-partner">
            <bdi>{request.partnerName}</bdi>
          </dd>
          <dt className="text-std-16B-170">{t("expires")}</dt>
          <dd>{formatDateTime(request.expiresAt, locale)}</dd>
        </dl>
        <section aria-labelledby="signing-text" className="space-y-2">
          <h2 id="signing-text" className="text-std-20B-150">
            {t("textTitle")}
          </h2>
          <p className="text-std-14N-170">{t("textNote")}</p>
          <div
            className="whitespace-pre-wrap break-words rounded-8 border border-solid-gray-420 p-4"
            data-testid="signing-text"
          >
            <bdi>{request.text}</bdi>
          </div>
          <details>
            <summary>{t("signedText")}</summary>
            <pre className="mt-2 overflow-x-auto whitespace-pre-wrap break-all rounded-6 bg-solid-gray-50 p-3 text-std-14N-170">
              {request.canonical}
            </pre>
          </details>
        </section>
        {outcome ? (
          <Notice
            tone={outcome === "signed" ? "success" : outcome === "expired" ? "warning" : "info"}
            title={t(`${outcome}Title`)}
            role="status"
            data-outcome={outcome}
          >
            <p>{t(`${outcome}Body`)}</p>
          </Notice>
        ) : (
          <SigningRequestClient id={request.id} canonical={request.canonical} />
        )}
        <LinkButton href="/services/signing-requests" variant="outline">
          {t("back")}
        </LinkButton>
      </div>
    </>
  );
}
