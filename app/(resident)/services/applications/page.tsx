import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/app/_components/page-header";
import { StepUpNotice } from "@/app/_components/step-up-notice";
import { EmptyState } from "@/app/_components/ui/empty-state";
import { LinkButton } from "@/app/_components/ui/link-button";
import { Notice } from "@/app/_components/ui/notice";
import { Table } from "@/app/_components/ui/table";
import { residentPage } from "@/app/_server/page-context";
import { getDb } from "@/lib/db/client";
import { formatDateTime } from "@/lib/i18n/dates";
import { listMyApplications } from "@/lib/services/applications/list-my-applications";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("applications"))("title") };
}

/**
 * /services/applications — the resident's applications (転居届, 住民票の写し) signed with the card:
 * what they submitted, what staff returned and why (with the way to correct and sign again),
 * what was approved (and the document it brought). Card login required: signing needs the card.
 */
export default async function ApplicationsPage({ searchParams }: { searchParams: Promise<{ submitted?: string }> }) {
  const { t, locale, resident, card } = await residentPage("applications");
  if (!card) {
    return (
      <>
        <PageHeader title={t("title")} lead={t("lead")} />
        <StepUpNotice next="/services/applications" loggedIn={resident !== null} />
      </>
    );
  }
  const { submitted } = await searchParams;
  const applications = await listMyApplications(await getDb(), { residentId: card.residentId });
  return (
    <>
      <PageHeader title={t("title")} lead={t("lead")} />
      <div className="space-y-8">
        {submitted && applications.some((a) => a.id === submitted) ? (
          <Notice tone="success" title={t("submittedTitle")} role="status">
            <p>{t("submittedBody")}</p>
          </Notice>
        ) : null}
        <nav aria-label={t("newLabel")} className="flex flex-wrap gap-3">
          <LinkButton href="/services/applications/new?kind=move" data-testid="new-move">
            {t("newMove")}
          </LinkButton>
          <LinkButton
            href="/services/applications/new?kind=residence-certificate"
            variant="outline"
            data-testid="new-residence"
          >
            {t("newResidence")}
          </LinkButton>
        </nav>
        {applications.length === 0 ? (
          <EmptyState title={t("emptyTitle")}>
            <p>{t("emptyBody")}</p>
          </EmptyState>
        ) : (
          <Table caption={t("listCaption")} regionLabel={t("listRegion")} data-testid="my-applications">
            <thead>
              <tr>
                <th scope="col">{t("colKind")}</th>
                <th scope="col">{t("colSubmitted")}</th>
                <th scope="col">{t("colStatus")}</th>
                <th scope="col">{t("colNext")}</th>
              </tr>
            </thead>
            <tbody>
              {applications.map((a) => (
                <tr key={a.id} data-application-id={a.id} data-status={a.status}>
                  <th scope="row">{t(`kind.${a.kind}`)}</th>
                  <td>{formatDateTime(a.submittedAt, locale)}</td>
                  <td>
                    {t(`status.${a.status}`)}
                    {a.status === "approved" && !a.fulfilled ? `（${t("inProgress")}）` : null}
                  </td>
                  <td>
                    {a.status === "returned" ? (
                      <div className="space-y-2">
                        <p>
                          {t("returnReason")}: <bdi>{a.returnReason}</bdi>
                        </p>
                        <Link href={`/services/applications/new?kind=${a.kind}&correct=${a.id}`} className="underline">
                          {t("correct")}
                        </Link>
                      </div>
                    ) : a.resultDocumentId ? (
                      <Link href={`/mailbox/${a.resultDocumentId}`} className="underline">
                        {t("openDocument")}
                      </Link>
                    ) : (
                      "—"
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </div>
    </>
  );
}
