import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/app/_components/page-header";
import { Notice } from "@/app/_components/ui/notice";
import { Table } from "@/app/_components/ui/table";
import { orRefusal, residentPage } from "@/app/_server/page-context";
import { getDb } from "@/lib/db/client";
import { kickNotificationMail } from "@/lib/notifications/smtp-transport";
import { formatDateBoth } from "@/lib/i18n/dates";
import { ZDocumentDomain } from "@/lib/mailbox/document-types/define-document-type";
import { listProxyDocuments } from "@/lib/proxies/list-proxy-documents";
import { StepUpNotice } from "@/app/_components/step-up-notice";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("proxyMailbox");
  return { title: t("caption") };
}

type TProps = {
  params: Promise<{ principalId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

/**
 * /proxy/<principalId>/mailbox — the principal's documents in the domains the logged-in proxy
 * was granted. The grant is checked in lib/proxies for every request; without one the page says
 * so in one way for every reason (no grant, expired, revoked, frozen, unknown id).
 */
export default async function ProxyMailboxPage({ params, searchParams }: TProps) {
  const { t, locale, resident, card, channel, requestMetadata } = await residentPage("proxyMailbox");
  const m = await getTranslations("mailbox");
  const { principalId } = await params;
  if (!card) {
    return (
      <>
        <PageHeader title={t("caption")} />
        <StepUpNotice next={`/proxy/${encodeURIComponent(principalId)}/mailbox`} loggedIn={resident !== null} />
      </>
    );
  }
  const sp = await searchParams;
  const cursor = typeof sp.cursor === "string" ? sp.cursor : undefined;
  const domain = typeof sp.domain === "string" ? sp.domain : undefined;
  const [result] = await orRefusal(
    listProxyDocuments(await getDb(), {
      proxyId: card.residentId,
      principalId,
      cursor,
      domain,
      channel,
      requestMetadata,
    }),
    ["PROXY_NOT_AUTHORIZED", "VALIDATION_FAILED"],
  );
  // A listing may have queued the principal's "your proxy looked" mail (at most one an hour).
  if (result) kickNotificationMail(getDb);
  if (!result) {
    return (
      <>
        <PageHeader title={t("caption")} />
        <Notice tone="error" title={t("forbiddenTitle")} data-proxy-forbidden="">
          <p>{t("forbiddenBody")}</p>
        </Notice>
      </>
    );
  }
  const domainLabel = (d: string) => {
    const parsed = ZDocumentDomain.safeParse(d);
    return parsed.success ? m(`domains.${parsed.data}`) : d;
  };
  const name = result.principal.displayName;
  return (
    <>
      <PageHeader title={t("title", { name })} lead={t("lead", { name })}>
        <p data-testid="proxy-scope">{t("scope", { domains: result.domains.map(domainLabel).join("、") })}</p>
      </PageHeader>
      {result.items.length === 0 ? (
        <p data-testid="proxy-empty">{t("empty")}</p>
      ) : (
        <div className="space-y-4">
          <Table caption={t("caption")} regionLabel={t("region")} data-testid="proxy-documents">
            <thead>
              <tr>
                <th scope="col">{t("colTitle")}</th>
                <th scope="col">{t("colDomain")}</th>
                <th scope="col">{t("colIssuer")}</th>
                <th scope="col">{t("colDate")}</th>
              </tr>
            </thead>
            <tbody>
              {result.items.map((d) => (
                <tr key={d.id} data-document-id={d.id}>
                  <th scope="row" className="font-normal">
                    <Link href={`/proxy/${principalId}/mailbox/${d.id}`} className="text-primary underline">
                      <bdi>{d.subject[locale]}</bdi>
                    </Link>
                    {d.archivedAt ? <span className="ml-2 text-ink-muted">（{t("archived")}）</span> : null}
                  </th>
                  <td>{domainLabel(d.domain)}</td>
                  <td>{locale === "en" ? d.issuer.nameEn : d.issuer.name}</td>
                  <td>
                    <time dateTime={d.createdAt}>{formatDateBoth(d.createdAt, locale)}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
          {result.nextCursor ? (
            <Link
              href={`/proxy/${principalId}/mailbox?cursor=${encodeURIComponent(result.nextCursor)}`}
              className="text-primary underline"
            >
              {m("next")}
            </Link>
          ) : null}
        </div>
      )}
    </>
  );
}
