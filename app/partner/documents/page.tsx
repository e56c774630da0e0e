import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Button } from "@/app/_components/ui/button";
import { EmptyState } from "@/app/_components/ui/empty-state";
import { Table } from "@/app/_components/ui/table";
import { partnerPage } from "@/app/_server/page-context";
import { getDb } from "@/lib/db/client";
import { formatDateTime } from "@/lib/i18n/dates";
import { findDocumentType } from "@/lib/mailbox/document-types/registry";
import {
  listPartnerDeliveryFailures,
  listPartnerDocuments,
  ZPartnerDocumentFilter,
} from "@/lib/partners/list-partner-documents";
import { PartnerSection } from "../_lib/partner-section";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("partner"))("documentsTitle") };
}

const PAGE_SIZE = 20;

/**
 * /partner/documents: delivery status of the partner's own documents, filtered by status, by
 * page; the `failed` filter lists refused deliveries (DeliveryFailure) instead.
 */
export default async function PartnerDocumentsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { t, locale, partner, requestMetadata } = await partnerPage("partnerDocuments");
  if (!partner) return <PartnerSection section="documents" authorized={false} />;
  const sp = await searchParams;
  const statusParam = ZPartnerDocumentFilter.safeParse(sp.status);
  const status = statusParam.success ? statusParam.data : undefined;
  const pageNum = Number.parseInt(typeof sp.page === "string" ? sp.page : "1", 10);
  const page = Number.isFinite(pageNum) && pageNum >= 1 && pageNum <= 100_000 ? pageNum : 1;
  const href = (p: number) =>
    `/partner/documents?${new URLSearchParams({ ...(status ? { status } : {}), page: String(p) })}`;
  const filter = (
    <form method="get" className="flex flex-wrap items-end gap-4" data-testid="documents-filter">
      <div className="space-y-1">
        <label htmlFor="doc-status" className="block text-std-17B-170">
          {t("status")}
        </label>
        <select
          id="doc-status"
          name="status"
          defaultValue={status ?? ""}
          className="h-12 rounded-8 border border-line-strong bg-white px-3 text-std-16N-170"
        >
          <option value="">{t("all")}</option>
          {ZPartnerDocumentFilter.options.map((s) => (
            <option key={s} value={s}>
              {t(`st_${s}`)}
            </option>
          ))}
        </select>
      </div>
      <Button type="submit">{t("apply")}</Button>
    </form>
  );
  if (status === "failed") {
    const failed = await listPartnerDeliveryFailures(await getDb(), {
      partnerId: partner.partnerId,
      page,
      pageSize: PAGE_SIZE,
    });
    return (
      <PartnerSection section="documents" authorized>
        {filter}
        <p className="text-std-16N-170">{t("failedNote")}</p>
        {failed.items.length === 0 ? (
          <EmptyState headingLevel={2} title={t("failedEmpty")} data-testid="failures-empty" />
        ) : (
          <>
            <Table
              caption={t("failedCaption", {
                from: String((page - 1) * PAGE_SIZE + 1),
                to: String((page - 1) * PAGE_SIZE + failed.items.length),
                total: String(failed.total),
              })}
              regionLabel={t("failedRegion")}
              data-testid="failures-table"
            >
              <thead>
                <tr>
                  <th scope="col">{t("colFailedAt")}</th>
                  <th scope="col">{t("colError")}</th>
                  <th scope="col">{t("colType")}</th>
                  <th scope="col">{t("colRecipient")}</th>
                  <th scope="col">{t("colIdempotencyKey")}</th>
                  <th scope="col">{t("colBulkLine")}</th>
                </tr>
              </thead>
              <tbody>
                {failed.items.map((f) => (
                  <tr key={f.id} data-failure-id={f.id} data-error-code={f.errorCode}>
                    <th scope="row" className="font-normal">
                      {formatDateTime(new Date(f.failedAt), locale)}
                    </th>
                    <td>
                      <code>{f.errorCode}</code> ({f.httpStatus})
                    </td>
                    <td>{f.documentType ? (findDocumentType(f.documentType)?.title[locale] ?? f.documentType) : ""}</td>
                    <td>
                      <code className="break-all">{f.recipient.partnerRef ?? f.recipient.registryNumber ?? ""}</code>
                    </td>
                    <td>
                      <code className="break-all">{f.idempotencyKey ?? ""}</code>
                    </td>
                    <td>{f.bulkLine ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </Table>
            <Pager t={t} page={page} pages={Math.max(1, Math.ceil(failed.total / PAGE_SIZE))} href={href} />
          </>
        )}
      </PartnerSection>
    );
  }
  const result = await listPartnerDocuments(await getDb(), {
    partnerId: partner.partnerId,
    status,
    page,
    pageSize: PAGE_SIZE,
    requestMetadata,
  });
  const pages = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
  return (
    <PartnerSection section="documents" authorized>
      {filter}
      <p className="text-std-16N-170">{t("auditNote")}</p>
      {result.items.length === 0 ? (
        <EmptyState headingLevel={2} title={t("empty")} data-testid="documents-empty" />
      ) : (
        <>
          <Table
            caption={t("caption", {
              from: String((page - 1) * PAGE_SIZE + 1),
              to: String((page - 1) * PAGE_SIZE + result.items.length),
              total: String(result.total),
            })}
            regionLabel={t("region")}
            data-testid="documents-table"
          >
            <thead>
              <tr>
                <th scope="col">{t("colDocument")}</th>
                <th scope="col">{t("colType")}</th>
                <th scope="col">{t("colDelivered")}</th>
                <th scope="col">{t("colStatus")}</th>
                <th scope="col">{t("colOpened")}</th>
                <th scope="col">{t("colExpires")}</th>
                <th scope="col">{t("colSignature")}</th>
              </tr>
            </thead>
            <tbody>
              {result.items.map((d) => (
                <tr key={d.id} data-document-id={d.id} data-status={d.status}>
                  <th scope="row" className="font-normal">
                    <code className="break-all">{d.id}</code>
                  </th>
                  <td>{findDocumentType(d.type)?.title[locale] ?? d.type}</td>
                  <td>{formatDateTime(d.deliveredAt, locale)}</td>
                  <td>{t(`st_${d.status}`)}</td>
                  <td>{d.openedAt ? formatDateTime(d.openedAt, locale) : ""}</td>
                  <td>{d.expiresAt ? formatDateTime(d.expiresAt, locale) : ""}</td>
                  <td>{d.signatureValid ? t("signatureOk") : t("signatureNg")}</td>
                </tr>
              ))}
            </tbody>
          </Table>
          <Pager t={t} page={page} pages={pages} href={href} />
        </>
      )}
    </PartnerSection>
  );
}

function Pager({
  t,
  page,
  pages,
  href,
}: {
  t: (key: "pagination" | "prev" | "next" | "pageOf", values?: Record<string, string>) => string;
  page: number;
  pages: number;
  href: (p: number) => string;
}) {
  return (
    <nav aria-label={t("pagination")} className="flex flex-wrap items-center gap-4">
      {page > 1 ? (
        <Link href={href(page - 1)} className="text-primary underline" rel="prev">
          {t("prev")}
        </Link>
      ) : null}
      <span>{t("pageOf", { page: String(page), pages: String(pages) })}</span>
      {page < pages ? (
        <Link href={href(page + 1)} className="text-primary underline" rel="next">
          {t("next")}
        </Link>
      ) : null}
    </nav>
  );
}
