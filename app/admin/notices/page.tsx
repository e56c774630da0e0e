import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { LoginRequired } from "@/app/_components/login-required";
import { PageHeader } from "@/app/_components/page-header";
import { Card } from "@/app/_components/ui/card";
import { EmptyState } from "@/app/_components/ui/empty-state";
import { Notice } from "@/app/_components/ui/notice";
import { Table } from "@/app/_components/ui/table";
import { orRefusal, staffPage } from "@/app/_server/page-context";
import { getNoticeBatch, listNoticeBatches, noticeBatchLines } from "@/lib/bulk-notices/read-notice-batches";
import { NOTICE_APPROVAL_THRESHOLD } from "@/lib/bulk-notices/roles";
import { getDb } from "@/lib/db/client";
import { formatDateTime } from "@/lib/i18n/dates";
import { BatchProgressClient } from "./batch-progress-client";
import { UploadFormClient } from "./upload-form-client";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("adminNotices"))("title") };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * /admin/notices — bulk notices (CLERK, SUPERVISOR, ADMIN): the upload form, the chosen batch's
 * progress (?batch=<id>, polled by the client) with the lines not sent, and the recent batches.
 */
export default async function AdminNoticesPage({
  searchParams,
}: {
  searchParams: Promise<{ batch?: string; created?: string; existing?: string }>;
}) {
  const { t, locale, staff } = await staffPage("adminNotices");
  if (!staff) {
    return (
      <>
        <PageHeader title={t("title")} lead={t("lead")} />
        <LoginRequired kind="staff" />
      </>
    );
  }
  const who = { staffId: staff.staffId, roles: staff.roles };
  const prisma = await getDb();
  const [batches, refusal] = await orRefusal(listNoticeBatches(prisma, { staff: who }), ["FORBIDDEN"]);
  if (refusal || !batches) {
    return (
      <>
        <PageHeader title={t("title")} lead={t("lead")} />
        <Notice tone="error" title={t("forbiddenTitle")} role="alert">
          <p>{t("forbiddenBody")}</p>
        </Notice>
      </>
    );
  }
  const params = await searchParams;
  const wanted = params.batch && UUID.test(params.batch) ? params.batch : undefined;
  const [current] = wanted
    ? await orRefusal(getNoticeBatch(prisma, { staff: who, batchId: wanted }), ["NOTICE_BATCH_NOT_FOUND"])
    : [null];
  const refused = current
    ? (await noticeBatchLines(prisma, { staff: who, batchId: current.id })).filter((l) => l.status === "refused")
    : [];
  return (
    <>
      <PageHeader title={t("title")} lead={t("lead")} />
      <div className="space-y-8">
        {current ? (
          <Card>
            <h2 className="text-std-20B-150">
              {t("batchTitle")} — <bdi>{current.title}</bdi>
            </h2>
            {params.existing ? (
              <Notice tone="warning" title={t("existing")} headingLevel={3} className="mt-4" />
            ) : params.created ? (
              <Notice
                tone="success"
                title={current.status === "AWAITING_APPROVAL" ? t("createdAwaiting") : t("created")}
                headingLevel={3}
                className="mt-4"
              />
            ) : null}
            <div className="mt-4">
              <BatchProgressClient initial={current} />
            </div>
            <div className="mt-6">
              {refused.length === 0 ? (
                <p>{current.finished ? t("noRefusals") : null}</p>
              ) : (
                <Table caption={t("refusalsCaption")} regionLabel={t("refusalsTitle")} data-testid="notice-refusals">
                  <thead>
                    <tr>
                      <th scope="col">{t("colLine")}</th>
                      <th scope="col">{t("colRegistryNumber")}</th>
                      <th scope="col">{t("colReason")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {refused.map((l) => (
                      <tr key={l.line} data-code={l.code}>
                        <th scope="row">{l.line}</th>
                        <td>
                          <bdi>{l.registryNumber}</bdi>
                        </td>
                        <td>
                          {t.has(`errors.${l.code}`) ? t(`errors.${l.code}`, { code: l.code, column: "" }) : l.code}（
                          <code>{l.code}</code>）
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </Table>
              )}
            </div>
          </Card>
        ) : null}
        <Card>
          <h2 className="text-std-20B-150">{t("formTitle")}</h2>
          <div className="mt-4">
            <UploadFormClient threshold={NOTICE_APPROVAL_THRESHOLD} />
          </div>
        </Card>
        <section aria-labelledby="notice-batches" className="space-y-4">
          <h2 id="notice-batches" className="text-std-20B-150">
            {t("batchesTitle")}
          </h2>
          {batches.length === 0 ? (
            <EmptyState title={t("emptyTitle")}>
              <p>{t("emptyBody")}</p>
            </EmptyState>
          ) : (
            <Table caption={t("batchesTitle")} regionLabel={t("batchesRegion")} data-testid="notice-batches">
              <thead>
                <tr>
                  <th scope="col">{t("colTitle")}</th>
                  <th scope="col">{t("colFile")}</th>
                  <th scope="col">{t("colCreated")}</th>
                  <th scope="col">{t("colStatus")}</th>
                  <th scope="col">{t("colProgress")}</th>
                </tr>
              </thead>
              <tbody>
                {batches.map((b) => (
                  <tr key={b.id} data-batch-id={b.id}>
                    <th scope="row">
                      <Link href={`/admin/notices?batch=${b.id}`} className="underline">
                        <bdi>{b.title}</bdi>
                      </Link>
                    </th>
                    <td>
                      <bdi>{b.fileName}</bdi>
                    </td>
                    <td>{formatDateTime(b.createdAt, locale)}</td>
                    <td>{t(`status.${b.status}`)}</td>
                    <td>{t("progressText", { done: b.delivered + b.refused, total: b.total, percent: b.percent })}</td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </section>
      </div>
    </>
  );
}
