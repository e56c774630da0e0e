import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { LoginRequired } from "@/app/_components/login-required";
import { PageHeader } from "@/app/_components/page-header";
import { EmptyState } from "@/app/_components/ui/empty-state";
import { Notice } from "@/app/_components/ui/notice";
import { Table } from "@/app/_components/ui/table";
import { orRefusal, staffPage } from "@/app/_server/page-context";
import { currentRequestMetadata } from "@/app/_server/request-context";
import { getDb } from "@/lib/db/client";
import { formatDateTime } from "@/lib/i18n/dates";
import { listApplicationQueue } from "@/lib/services/applications/review-applications";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("adminApplications"))("title") };
}

const FILTERS = ["open", "returned", "approved", "all"] as const;

/** /admin/applications — the review queue of applications signed with the card (CLERK, SUPERVISOR, ADMIN). */
export default async function AdminApplicationsPage({ searchParams }: { searchParams: Promise<{ filter?: string }> }) {
  const { t, locale, staff } = await staffPage("adminApplications");
  if (!staff) {
    return (
      <>
        <PageHeader title={t("title")} lead={t("lead")} />
        <LoginRequired kind="staff" />
      </>
    );
  }
  const wanted = (await searchParams).filter;
  const filter = FILTERS.find((f) => f === wanted) ?? "open";
  const [queue, refusal] = await orRefusal(
    listApplicationQueue(await getDb(), {
      staff: { staffId: staff.staffId, roles: staff.roles },
      filter,
      requestMetadata: await currentRequestMetadata(),
    }),
    ["FORBIDDEN"],
  );
  return (
    <>
      <PageHeader title={t("title")} lead={t("lead")} />
      {refusal || !queue ? (
        <Notice tone="error" title={t("forbiddenTitle")} role="alert">
          <p>{t("forbiddenBody")}</p>
        </Notice>
      ) : (
        <div className="space-y-6">
          <nav aria-label={t("filterLabel")}>
            <ul className="flex flex-wrap gap-4">
              {FILTERS.map((f) => (
                <li key={f}>
                  <Link
                    href={`/admin/applications?filter=${f}`}
                    aria-current={f === filter ? "page" : undefined}
                    className={f === filter ? "font-bold underline decoration-2" : "underline"}
                  >
                    {t(`filter.${f}`)}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          {queue.length === 0 ? (
            <EmptyState title={t("emptyTitle")}>
              <p>{t("emptyBody")}</p>
            </EmptyState>
          ) : (
            <Table caption={t(`filter.${filter}`)} regionLabel={t("queueRegion")} data-testid="application-queue">
              <thead>
                <tr>
                  <th scope="col">{t("colApplicant")}</th>
                  <th scope="col">{t("colKind")}</th>
                  <th scope="col">{t("colSubmitted")}</th>
                  <th scope="col">{t("colStatus")}</th>
                </tr>
              </thead>
              <tbody>
                {queue.map((q) => (
                  <tr key={q.id} data-application-id={q.id}>
                    <th scope="row">
                      <Link href={`/admin/applications/${q.id}`} className="underline">
                        <bdi>{q.applicantName}</bdi>
                      </Link>
                    </th>
                    <td>
                      {t(`kind.${q.kind}`)}
                      {q.revision > 1 ? `（${t("revision", { revision: q.revision })}）` : null}
                    </td>
                    <td>{formatDateTime(q.submittedAt, locale)}</td>
                    <td>
                      {t(`status.${q.status}`)}
                      {q.status === "approved" && !q.fulfilled ? `（${t("pendingShort")}）` : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </div>
      )}
    </>
  );
}
