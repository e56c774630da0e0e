import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { LoginRequired } from "@/app/_components/login-required";
import { PageHeader } from "@/app/_components/page-header";
import { Button } from "@/app/_components/ui/button";
import { Notice } from "@/app/_components/ui/notice";
import { Table } from "@/app/_components/ui/table";
import { orRefusal, residentPage } from "@/app/_server/page-context";
import { getDb } from "@/lib/db/client";
import { formatDateTime } from "@/lib/i18n/dates";
import { env } from "@/lib/env";
import { getDocumentOrThrow } from "@/lib/mailbox/get-document";
import { listDocumentShares } from "@/lib/mailbox/list-document-shares";
import { VERIFY_QR_FORMAT } from "@/lib/mailbox/verify-qr";
import { archiveDocumentAction, revokeShareAction } from "../actions";
import { DownloadButtons, RawJsonDetails } from "@/app/_components/mailbox/document-data";
import { SharePanelClient } from "./share-panel-client";
import { SignatureDetails } from "@/app/_components/mailbox/signature-details";

export const dynamic = "force-dynamic";

type TProps = { params: Promise<{ id: string }> };

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("mailbox"))("title") };
}

const EXPIRY_WARNING_MS = 14 * 86_400_000;

export default async function MailboxDocumentPage({ params }: TProps) {
  const { t, locale, resident, channel, requestMetadata } = await residentPage("mailbox");
  if (!resident) {
    return (
      <>
        <PageHeader title={t("title")} />
        <LoginRequired />
      </>
    );
  }
  const { id } = await params;
  const [doc] = await orRefusal(
    getDocumentOrThrow(await getDb(), { residentId: resident.residentId, documentId: id, channel, requestMetadata }),
    ["NOT_FOUND"],
  );
  // Another resident's document and a missing one look the same (lib answers NOT_FOUND for both).
  if (!doc) notFound();
  const sharing = await listDocumentShares(await getDb(), { residentId: resident.residentId, documentId: doc.id });
  const shareStatus = {
    open: t("shareStatusOpen"),
    used: t("shareStatusUsed"),
    revoked: t("shareStatusRevoked"),
    expired: t("shareStatusExpired"),
  } as const;
  const expiresSoon =
    !doc.expired && doc.expiresAt !== null && new Date(doc.expiresAt).getTime() - Date.now() <= EXPIRY_WARNING_MS;
  const actionLabel = { pay: t("actionPay"), reply: t("actionReply"), apply: t("actionApply") } as const;
  const unsigned = doc.deadline || doc.expiresAt || doc.labels.length > 0 || doc.actions.length > 0;

  return (
    <>
      <p className="mb-4">
        <Link href="/mailbox" className="text-primary underline">
          ← {t("back")}
        </Link>
      </p>
      <PageHeader title={<bdi>{doc.subject[locale]}</bdi>} lead={doc.typeTitle[locale]} />
      <div className="space-y-8">
        {doc.expired ? (
          <Notice tone="error" title={t("expiredNotice")} />
        ) : expiresSoon && doc.expiresAt ? (
          <Notice tone="warning" title={t("expiresSoonNotice", { date: formatDateTime(doc.expiresAt, locale) })} />
        ) : null}
        {doc.archivedAt ? <Notice tone="info" title={t("archivedNotice")} /> : null}

        <SignatureDetails report={doc.verification} locale={locale} />

        <section aria-labelledby="doc-meta" className="space-y-3">
          <h2 id="doc-meta" className="text-std-20B-150">
            {t("detailMetaTitle")}
          </h2>
          <dl className="grid gap-x-6 gap-y-2 text-std-16N-170 sm:grid-cols-[max-content_1fr]">
            <dt className="font-bold">{t("issuer")}</dt>
            <dd>{locale === "en" ? doc.issuer.nameEn : doc.issuer.name}</dd>
            <dt className="font-bold">{t("receivedAt")}</dt>
            <dd>
              <time dateTime={doc.createdAt}>{formatDateTime(doc.createdAt, locale)}</time>
            </dd>
          </dl>
        </section>

        <section aria-labelledby="doc-fields" className="space-y-3">
          <h2 id="doc-fields" className="text-std-20B-150">
            {t("detailFieldsTitle")}
          </h2>
          <dl
            className="grid gap-x-6 gap-y-2 rounded-12 border border-line bg-white p-4 text-std-16N-170 sm:grid-cols-[max-content_1fr]"
            data-testid="document-fields"
          >
            {doc.fields[locale].map((f, i) => (
              // Labels repeat in some types (one row per month), so the index keeps keys unique.
              // biome-ignore lint/suspicious/noArrayIndexKey: rendered fields are a static list per document.
              <div key={`${f.label}-${i}`} className="contents">
                <dt className="font-bold">{f.label}</dt>
                <dd className="whitespace-pre-wrap break-words">{f.value}</dd>
              </div>
            ))}
          </dl>
        </section>

        {unsigned ? (
          // What the issuer sent beside the signed payload: its API secret, not its signing key,
          // vouches for it. Kept apart from the signed fields and never styled like them.
          <section
            aria-labelledby="doc-unsigned"
            className="space-y-3 rounded-12 border border-dashed border-line p-4"
            data-testid="document-unsigned"
          >
            <h2 id="doc-unsigned" className="text-std-20B-150">
              {t("unsignedTitle")}
            </h2>
            <p className="text-std-16N-170">{t("unsignedLead")}</p>
            <dl className="grid gap-x-6 gap-y-2 text-std-16N-170 sm:grid-cols-[max-content_1fr]">
              {doc.deadline ? (
                <>
                  <dt className="font-bold">{t("deadline")}</dt>
                  <dd>
                    <time dateTime={doc.deadline}>{formatDateTime(doc.deadline, locale)}</time>
                  </dd>
                </>
              ) : null}
              {doc.expiresAt ? (
                <>
                  <dt className="font-bold">{t("expiresAt")}</dt>
                  <dd>
                    <time dateTime={doc.expiresAt}>{formatDateTime(doc.expiresAt, locale)}</time>
                  </dd>
                </>
              ) : null}
              {doc.labels.length > 0 ? (
                <>
                  <dt className="font-bold">{t("labels")}</dt>
                  <dd>
                    <ul className="flex flex-wrap gap-2">
                      {doc.labels.map((l) => (
                        <li key={l} className="rounded-8 border border-line px-2">
                          <bdi>{l}</bdi>
                        </li>
                      ))}
                    </ul>
                  </dd>
                </>
              ) : null}
              {doc.actions.length > 0 ? (
                <>
                  <dt className="font-bold">{t("actionsTitle")}</dt>
                  <dd>
                    <ul className="space-y-2" data-testid="document-actions">
                      {doc.actions.map((a) => (
                        <li key={`${a.kind}-${a.url ?? ""}`} data-action-linkable={a.linkable}>
                          {a.linkable && a.url ? (
                            <a href={a.url} rel="noopener noreferrer" className="text-primary underline">
                              <bdi>{a.label ?? actionLabel[a.kind]}</bdi>
                            </a>
                          ) : (
                            <>
                              <bdi>{a.label ?? actionLabel[a.kind]}</bdi>
                              {a.url ? (
                                <>
                                  {" "}
                                  <code className="break-all">
                                    <bdi>{a.url}</bdi>
                                  </code>
                                  <span className="block text-std-16N-170">{t("actionNotLinked")}</span>
                                </>
                              ) : null}
                            </>
                          )}
                        </li>
                      ))}
                    </ul>
                  </dd>
                </>
              ) : null}
            </dl>
          </section>
        ) : null}

        {doc.attachments.length > 0 ? (
          <section aria-labelledby="doc-attachments" className="space-y-3">
            <h2 id="doc-attachments" className="text-std-20B-150">
              {t("attachmentsTitle")}
            </h2>
            <ul className="list-disc pl-6 text-std-16N-170">
              {doc.attachments.map((a) => (
                <li key={a.id}>
                  <bdi>{a.filename}</bdi> ({a.mimeType}, {Math.ceil(a.size / 1024)} KB)
                </li>
              ))}
            </ul>
          </section>
        ) : null}

        <RawJsonDetails payload={doc.payload} />

        <section aria-labelledby="doc-share" className="space-y-4">
          <h2 id="doc-share" className="text-std-20B-150">
            {t("shareTitle")}
          </h2>
          <p className="text-std-16N-170">{t("shareLead")}</p>
          <SharePanelClient
            documentId={doc.id}
            partners={sharing.linkedPartners.map((p) => ({ id: p.id, name: locale === "en" ? p.nameEn : p.name }))}
            labels={{
              partnerLabel: t("sharePartnerLabel"),
              partnerNone: t("sharePartnerNone"),
              withPartner: t("shareWithPartner"),
              link: t("shareLink"),
              linkCreated: t("shareLinkCreated"),
              linkLabel: t("shareLinkLabel"),
              partnerDone: t("sharePartnerDone"),
              error: t.raw("shareError") as string,
              qrTitle: t("shareQrTitle"),
              qrBody: t("shareQrBody"),
              qrAlt: t("shareQrAlt"),
              qrVerifyLink: t("shareQrVerifyLink"),
            }}
            verify={
              doc.verification.signer
                ? {
                    origin: env().PORTAL_ORIGIN,
                    facts: {
                      v: VERIFY_QR_FORMAT,
                      id: doc.id,
                      t: doc.type,
                      d: doc.payloadHash,
                      f: doc.verification.signer.fingerprint,
                    },
                  }
                : null
            }
          />
          {sharing.shares.length > 0 ? (
            <Table caption={t("sharesListTitle")} regionLabel={t("sharesListTitle")} data-testid="shares-table">
              <thead>
                <tr>
                  <th scope="col">{t("shareTo")}</th>
                  <th scope="col">{t("expiresAt")}</th>
                  <th scope="col">{t("shareStatus")}</th>
                  <th scope="col">
                    <span className="sr-only">{t("shareRevoke")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {sharing.shares.map((share) => (
                  <tr key={share.shareId} data-share-status={share.status}>
                    <td>
                      {share.partner
                        ? locale === "en"
                          ? share.partner.nameEn
                          : share.partner.name
                        : t("shareOneTimeLink")}
                    </td>
                    <td>
                      <time dateTime={share.expiresAt}>{formatDateTime(share.expiresAt, locale)}</time>
                    </td>
                    <td>{shareStatus[share.status]}</td>
                    <td>
                      {share.status === "open" ? (
                        <form action={revokeShareAction}>
                          <input type="hidden" name="shareId" value={share.shareId} />
                          <input type="hidden" name="documentId" value={doc.id} />
                          <Button type="submit" variant="text" size="sm">
                            {t("shareRevoke")}
                          </Button>
                        </form>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </Table>
          ) : null}
        </section>

        <div className="flex flex-wrap gap-4">
          <DownloadButtons base={`/mailbox/${doc.id}`} />
          <form action={archiveDocumentAction}>
            <input type="hidden" name="documentId" value={doc.id} />
            <input type="hidden" name="archived" value={doc.archivedAt ? "0" : "1"} />
            <Button type="submit" variant="outline">
              {doc.archivedAt ? t("unarchive") : t("archive")}
            </Button>
          </form>
        </div>
      </div>
    </>
  );
}
