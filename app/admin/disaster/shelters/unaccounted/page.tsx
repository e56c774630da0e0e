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
import { listUnaccounted, SHELTER_STAFF_ROLES } from "@/lib/disaster/shelters/dashboard";
import { formatDateTime } from "@/lib/i18n/dates";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("adminShelters"))("unaccountedTitle") };
}

/**
 * /admin/disaster/shelters/unaccounted: the named residents not yet accounted for under the active
 * orders (no reply, no open check-in), with "probably at home (last activity …)" from the
 * set-top-box estimate since the order. Each listed resident's access log shows this view.
 */
export default async function UnaccountedPage() {
  const { t, locale, staff } = await staffPage("adminShelters");
  const common = await getTranslations();
  const header = (
    <>
      <Breadcrumbs
        aria-label={common("common.breadcrumbLabel")}
        items={[
          { label: common("admin.title"), href: "/admin" },
          { label: t("title"), href: "/admin/disaster/shelters" },
          { label: t("unaccountedTitle") },
        ]}
      />
      <PageHeader title={t("unaccountedTitle")} lead={t("unaccountedLead")} />
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
  if (!staff.roles.some((r) => (SHELTER_STAFF_ROLES as readonly string[]).includes(r))) {
    return (
      <div className="space-y-6">
        {header}
        <Notice tone="error" title={t("forbidden")} data-error-code="FORBIDDEN" />
      </div>
    );
  }
  const rows = await listUnaccounted(
    { prisma: await getDb() },
    { staff, requestMetadata: await currentRequestMetadata() },
  );
  return (
    <div className="space-y-6">
      {header}
      {rows.length === 0 ? (
        <EmptyState title={t("unaccountedEmpty")} />
      ) : (
        <Table caption={t("unaccountedCaption", { count: rows.length })} regionLabel={t("unaccountedTitle")}>
          <thead>
            <tr>
              <th scope="col">{t("col.name")}</th>
              <th scope="col">{t("col.district")}</th>
              <th scope="col">{t("col.address")}</th>
              <th scope="col">{t("col.needs")}</th>
              <th scope="col">{t("col.atHome")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.residentId} data-resident-id={r.residentId}>
                <th scope="row">
                  <bdi>{r.name}</bdi>
                </th>
                <td>{r.districtCode}</td>
                <td>
                  <bdi>{r.address}</bdi>
                </td>
                <td>{r.needs.map((n) => (t.has(`need.${n}`) ? t(`need.${n}`) : n)).join("、") || t("none")}</td>
                <td data-testid="unaccounted-at-home">
                  {r.lastActivityAt
                    ? t("probablyAtHome", { at: formatDateTime(r.lastActivityAt, locale) })
                    : t("noEstimate")}
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </div>
  );
}
