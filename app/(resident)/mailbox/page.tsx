import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { LoginRequired } from "@/app/_components/login-required";
import { PageHeader } from "@/app/_components/page-header";
import { EmptyState } from "@/app/_components/ui/empty-state";
import { LinkButton } from "@/app/_components/ui/link-button";
import { residentPage } from "@/app/_server/page-context";
import { getDb } from "@/lib/db/client";
import { formatDateTime } from "@/lib/i18n/dates";
import { ZDocumentDomain } from "@/lib/mailbox/document-types/define-document-type";
import { listDocuments } from "@/lib/mailbox/list-documents";
import { describeResidentNotice } from "@/lib/platform/notices/describe-resident-notice";
import { listResidentNotices } from "@/lib/platform/notices/list-resident-notices";
import { FiltersForm } from "./filters-form";
import { parseMailboxSearchParams } from "./search-params";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("mailbox");
  return { title: t("title") };
}

type TProps = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function MailboxPage({ searchParams }: TProps) {
  const { t, locale, resident, channel, requestMetadata } = await residentPage("mailbox");
  if (!resident) {
    return (
      <>
        <PageHeader title={t("title")} lead={t("lead")} />
        <LoginRequired />
      </>
    );
  }
  const query = parseMailboxSearchParams(await searchParams);
  const result = await listDocuments(await getDb(), {
    residentId: resident.residentId,
    filter: query.filter,
    cursor: query.cursor,
    channel,
    requestMetadata,
  });
  const notices = (await listResidentNotices(await getDb(), { residentId: resident.residentId, limit: 5 })).map((n) =>
    describeResidentNotice(n, locale),
  );
  const filtered = Object.keys(query.raw).length > 0;
  const domainLabel = (d: string) => {
    const parsed = ZDocumentDomain.safeParse(d);
    return parsed.success ? t(`domains.${parsed.data}`) : d;
  };
  const nextHref = result.nextCursor
    ? `/mailbox?${new URLSearchParams({ ...query.raw, cursor: result.nextCursor }).toString()}`
    : null;

  return (
    <>
      <PageHeader title={t("title")} lead={t("lead")}>
        <p className="text-std-18B-160" data-testid="unread-count">
          {t("unreadCount", { count: result.unreadCount })}
        </p>
      </PageHeader>
      <div className="space-y-8">
        {notices.length > 0 ? (
          <section
            aria-labelledby="mailbox-notices-title"
            className="space-y-3 rounded-12 border border-line bg-white p-4 sm:p-5"
            data-testid="resident-notices"
          >
            <h2 id="mailbox-notices-title" className="text-std-20B-150">
              {t("noticesTitle")}
            </h2>
            <ul className="divide-y divide-line">
              {notices.map((n) => (
                <li key={n.id} className="space-y-1 py-3" data-notice-id={n.id}>
                  <p className="text-std-18B-160">{n.title}</p>
                  <p className="text-std-16N-170">{n.body}</p>
                  {n.partners.length > 0 ? (
                    <p className="text-std-16N-170">
                      {t("noticesPartners")}: {n.partners.join(locale === "en" ? ", " : "、")}
                    </p>
                  ) : null}
                  <p className="text-dns-16N-130 text-ink-muted">
                    <time dateTime={n.createdAt.toISOString()}>{formatDateTime(n.createdAt, locale)}</time>
                  </p>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        <FiltersForm raw={query.raw} issuers={result.issuers} locale={locale} />
        {result.items.length === 0 ? (
          filtered ? (
            <EmptyState
              title={t("noMatchTitle")}
              action={
                <LinkButton href="/mailbox" variant="outline">
                  {t("reset")}
                </LinkButton>
              }
            >
              <p>{t("noMatchBody")}</p>
            </EmptyState>
          ) : (
            <EmptyState
              title={t("emptyTitle")}
              action={
                <LinkButton href="/services" variant="outline">
                  {t("emptyAction")}
                </LinkButton>
              }
            >
              <p>{t("emptyBody")}</p>
            </EmptyState>
          )
        ) : (
          <section aria-labelledby="mailbox-list-title" className="space-y-4">
            <h2 id="mailbox-list-title" className="text-std-20B-150">
              {t("listCaption")}
              <span className="ml-3 text-std-16N-170 text-ink-muted">
                {t("resultsCount", { count: result.items.length })}
              </span>
            </h2>
            <ul className="divide-y divide-line rounded-12 border border-line bg-white" data-testid="mailbox-list">
              {result.items.map((item) => (
                <li
                  key={item.id}
                  data-document-id={item.id}
                  data-unread={item.readAt ? undefined : ""}
                  className="p-4 sm:p-5"
                >
                  <div className="flex flex-wrap items-center gap-2 text-dns-16N-130">
                    {item.readAt ? null : (
                      <span className="rounded-6 bg-primary px-2 py-0.5 text-dns-16B-120 text-white">
                        {t("unread")}
                      </span>
                    )}
                    <span className="rounded-6 border border-line px-2 py-0.5">{domainLabel(item.domain)}</span>
                    {item.expired ? (
                      <span className="rounded-6 bg-red-50 px-2 py-0.5 text-error">{t("expired")}</span>
                    ) : item.expiresSoon ? (
                      <span className="rounded-6 bg-yellow-50 px-2 py-0.5">{t("expiresSoon")}</span>
                    ) : null}
                    {item.signatureValid ? (
                      <span className="text-success">✓ {t("signatureValid")}</span>
                    ) : (
                      <span className="text-error">{t("signatureInvalid")}</span>
                    )}
                  </div>
                  <p className="mt-2">
                    <Link
                      href={`/mailbox/${item.id}`}
                      className={`${item.readAt ? "text-std-18N-160" : "text-std-18B-160"} text-primary underline underline-offset-[0.1875rem] hover:decoration-[0.1875rem]`}
                    >
                      <bdi>{item.subject[locale]}</bdi>
                    </Link>
                  </p>
                  <p className="mt-1 text-std-16N-170 text-ink-muted">
                    <bdi>{locale === "en" ? item.issuer.nameEn : item.issuer.name}</bdi>
                    {" ・ "}
                    <time dateTime={item.createdAt}>{formatDateTime(item.createdAt, locale)}</time>
                    {item.deadline ? (
                      <>
                        {" ・ "}
                        {t("deadlineUnsigned")}{" "}
                        <time dateTime={item.deadline}>{formatDateTime(item.deadline, locale)}</time>
                      </>
                    ) : null}
                  </p>
                </li>
              ))}
            </ul>
            <div className="flex flex-wrap gap-4">
              {query.cursor ? (
                <LinkButton href={`/mailbox?${new URLSearchParams(query.raw).toString()}`} variant="outline">
                  {t("first")}
                </LinkButton>
              ) : null}
              {nextHref ? (
                <LinkButton href={nextHref} variant="outline">
                  {t("next")}
                </LinkButton>
              ) : null}
            </div>
          </section>
        )}
      </div>
    </>
  );
}
