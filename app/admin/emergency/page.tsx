import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { LoginRequired } from "@/app/_components/login-required";
import { PageHeader } from "@/app/_components/page-header";
import { Breadcrumbs } from "@/app/_components/ui/breadcrumbs";
import { EmptyState } from "@/app/_components/ui/empty-state";
import { Notice } from "@/app/_components/ui/notice";
import { Table } from "@/app/_components/ui/table";
import { staffPage } from "@/app/_server/page-context";
import { currentRequestMetadata } from "@/app/_server/request-context";
import { getDb } from "@/lib/db/client";
import { formatDateTime } from "@/lib/i18n/dates";
import { listBreakGlassAccesses } from "@/lib/services/emergency/list-break-glass-accesses";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("adminEmergency"))("title") };
}

/** Staff who may review break-glass reads (the list names residents and the crews' reasons). */
const REVIEW_ROLES = ["HEALTH_OFFICER", "ADMIN"];

/** /admin/emergency: break-glass reads of residents' emergency histories, for health officers to review. */
export default async function AdminEmergencyPage() {
  const { t, locale, staff } = await staffPage("adminEmergency");
  const common = await getTranslations();
  const header = (
    <>
      <Breadcrumbs
        aria-label={common("common.breadcrumbLabel")}
        items={[{ label: common("admin.title"), href: "/admin" }, { label: t("title") }]}
      />
      <PageHeader title={t("title")} lead={t("lead")} />
    </>
  );
  if (!staff) {
    return (
      <div className="space-y-6">
        {header}
        <LoginRequired kind="staff" />
      </div>
    );
  }
  if (!staff.roles.some((r) => REVIEW_ROLES.includes(r))) {
    return (
      <div className="space-y-6">
        {header}
        <Notice tone="error" title={t("forbidden")} data-error-code="FORBIDDEN" />
      </div>
    );
  }
  const rows = await listBreakGlassAccesses(await getDb(), {
    staffId: staff.staffId,
    requestMetadata: await currentRequestMetadata(),
  });
  return (
    <div className="space-y-6">
      {header}
      {rows.length === 0 ? (
        <EmptyState title={t("empty")} />
      ) : (
        <Table caption={t("caption")} regionLabel={t("caption")} data-testid="break-glass-review">
          <thead>
            <tr>
              <th scope="col">{t("when")}</th>
              <th scope="col">{t("reader")}</th>
              <th scope="col">{t("terminal")}</th>
              <th scope="col">{t("resident")}</th>
              <th scope="col">{t("reason")}</th>
              <th scope="col">{t("reads")}</th>
              <th scope="col">{t("until")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-access-id={r.id}>
                <td>
                  <time dateTime={r.grantedAt}>{formatDateTime(r.grantedAt, locale)}</time>
                </td>
                <td>
                  <bdi>{locale === "en" ? r.reader.nameEn : r.reader.name}</bdi>
                </td>
                <td>
                  <bdi>{r.terminal}</bdi>
                </td>
                <td>
                  <bdi>{r.resident.name}</bdi> ({r.resident.registryNumber})
                </td>
                <td>
                  <strong>{r.reason.label[locale]}</strong>: <bdi>{r.reason.text}</bdi>
                </td>
                <td>{r.reads}</td>
                <td>
                  <time dateTime={r.expiresAt}>{formatDateTime(r.expiresAt, locale)}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </div>
  );
}
