import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { hazardLabel, LEVEL_FILL, levelLabel } from "@/app/_components/disaster/alert-levels";
import { DistrictMap } from "@/app/_components/district-map";
import { LoginRequired } from "@/app/_components/login-required";
import { PageHeader } from "@/app/_components/page-header";
import { Breadcrumbs } from "@/app/_components/ui/breadcrumbs";
import { Card } from "@/app/_components/ui/card";
import { EmptyState } from "@/app/_components/ui/empty-state";
import { Notice } from "@/app/_components/ui/notice";
import { Table } from "@/app/_components/ui/table";
import { orRefusal, staffPage } from "@/app/_server/page-context";
import { getDb } from "@/lib/db/client";
import { disasterConsole } from "@/lib/disaster/orders/console";
import { DISASTER_HAZARDS } from "@/lib/disaster/orders/targeting";
import { formatDateTime } from "@/lib/i18n/dates";
import { ChangeOrderFormClient, IssueOrderFormClient } from "./order-forms-client";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("admin"))("disasterTitle") };
}

/**
 * Sub-pages of the disaster console. Shelters and the live dashboard (/admin/disaster/shelters)
 * are added by their own area.
 */
const SUB_PAGES: readonly { href: string; key: string }[] = [{ href: "/admin/disaster/shelters", key: "shelters" }];

/**
 * /admin/disaster — the disaster officer's console: the districts on a map coloured by their
 * current alert level (and the same as a table), the orders with read / unread / safe /
 * needs-help counts, raise / lower / lift, and the form to issue an order.
 */
export default async function AdminDisasterPage() {
  const { t, locale, staff } = await staffPage("adminDisaster");
  const ta = await getTranslations("admin");
  const tc = await getTranslations("common");
  const header = (
    <>
      <Breadcrumbs
        aria-label={tc("breadcrumbLabel")}
        items={[{ label: ta("title"), href: "/admin" }, { label: ta("disasterTitle") }]}
      />
      <PageHeader title={ta("disasterTitle")} lead={ta("disasterLead")} />
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
  const [view, refusal] = await orRefusal(
    disasterConsole({ prisma: await getDb() }, { staff: { staffId: staff.staffId, roles: staff.roles } }),
    ["FORBIDDEN"],
  );
  if (!view) {
    return (
      <div className="space-y-6">
        {header}
        <Notice tone="error" title={t("forbiddenTitle")} data-error-code={refusal}>
          <p>{t("forbiddenBody")}</p>
        </Notice>
      </div>
    );
  }
  const en = locale === "en";
  const levelLabels = Object.fromEntries([1, 2, 3, 4, 5].map((l) => [l, levelLabel(l, locale)]));
  const hazardLabels = Object.fromEntries(DISASTER_HAZARDS.map((h) => [h, hazardLabel(h, locale)]));
  const active = view.orders.filter((o) => o.status === "ACTIVE");
  const lifted = view.orders.filter((o) => o.status === "LIFTED");
  const mapped = view.districts.filter((d) => d.geometry);
  const districtLabel = (d: { name: string; nameEn: string }) => (en ? d.nameEn : d.name);
  return (
    <div className="space-y-10">
      {header}
      {SUB_PAGES.length > 0 ? (
        <nav aria-label={t("subPages")}>
          <ul className="flex flex-wrap gap-4">
            {SUB_PAGES.map((p) => (
              <li key={p.href}>
                <Link href={p.href} className="text-std-16B-170 text-primary underline">
                  {t(`subPage.${p.key}`)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}

      <section aria-labelledby="district-levels" className="space-y-4">
        <h2 id="district-levels" className="text-std-24B-150">
          {t("mapTitle")}
        </h2>
        {mapped.length > 0 ? (
          <DistrictMap
            title={t("mapTitle")}
            areas={mapped.map((d) => ({
              code: d.code,
              label: districtLabel(d),
              geometry: d.geometry!,
              fillClassName: LEVEL_FILL[d.level] ?? LEVEL_FILL[0],
              description: d.level ? levelLabel(d.level, locale) : t("noOrder"),
            }))}
            legend={[0, 1, 2, 3, 4, 5].map((l) => ({
              label: l === 0 ? t("noOrder") : levelLabel(l, locale),
              fillClassName: `${LEVEL_FILL[l]} stroke-solid-gray-600`,
            }))}
          />
        ) : null}
        <Table caption={t("districtTable")} regionLabel={t("districtTable")} data-testid="district-levels">
          <thead>
            <tr>
              <th scope="col">{t("district")}</th>
              <th scope="col">{t("level")}</th>
            </tr>
          </thead>
          <tbody>
            {view.districts.map((d) => (
              <tr key={d.id} data-district={d.code} data-level={d.level}>
                <th scope="row">
                  <bdi>{districtLabel(d)}</bdi>（{d.code}）
                </th>
                <td>{d.level ? levelLabel(d.level, locale) : t("noOrder")}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      </section>

      <section aria-labelledby="active-orders" className="space-y-4">
        <h2 id="active-orders" className="text-std-24B-150">
          {t("activeTitle")}
        </h2>
        {active.length === 0 ? (
          <EmptyState title={ta("disasterEmpty")} headingLevel={3} />
        ) : (
          <>
            <Table caption={t("ordersTable")} regionLabel={t("ordersTable")} data-testid="orders">
              <thead>
                <tr>
                  <th scope="col">{t("district")}</th>
                  <th scope="col">{t("levelAndHazard")}</th>
                  <th scope="col">{t("residents")}</th>
                  <th scope="col">{t("read")}</th>
                  <th scope="col">{t("unread")}</th>
                  <th scope="col">{t("safe")}</th>
                  <th scope="col">{t("needsHelp")}</th>
                </tr>
              </thead>
              <tbody>
                {active.map((o) => (
                  <tr key={o.id} data-order-id={o.id} data-district={o.districtCode} data-level={o.level}>
                    <th scope="row">
                      <bdi>{districtLabel({ name: o.districtName, nameEn: o.districtNameEn })}</bdi>
                    </th>
                    <td>
                      {levelLabel(o.level, locale)}（{hazardLabel(o.hazard, locale)}）
                      <br />
                      <span className="text-ink-muted">
                        {formatDateTime(o.issuedAt, locale)} <bdi>{o.issuedBy}</bdi>
                      </span>
                    </td>
                    <td data-col="residents">{o.residents}</td>
                    <td data-col="read">{o.read}</td>
                    <td data-col="unread">
                      {o.unread}
                      {o.escalated ? `（${t("escalatedCount", { count: o.escalated })}）` : null}
                    </td>
                    <td data-col="safe">{o.safe}</td>
                    <td data-col="needsHelp">{o.needsHelp}</td>
                  </tr>
                ))}
              </tbody>
            </Table>
            <ul className="space-y-4">
              {active.map((o) => {
                const label = `${districtLabel({ name: o.districtName, nameEn: o.districtNameEn })} ${hazardLabel(o.hazard, locale)}`;
                return (
                  <li key={o.id}>
                    <Card className="space-y-2" data-order-id={o.id}>
                      <h3 className="text-std-18B-160">
                        <bdi>{label}</bdi>: {levelLabel(o.level, locale)}
                      </h3>
                      <p className="whitespace-pre-line">
                        <bdi>{en && o.messageEn ? o.messageEn : o.message}</bdi>
                      </p>
                      <ChangeOrderFormClient orderId={o.id} level={o.level} levelLabels={levelLabels} label={label} />
                    </Card>
                  </li>
                );
              })}
            </ul>
          </>
        )}
      </section>

      <section aria-labelledby="issue-title" className="space-y-4">
        <h2 id="issue-title" className="text-std-24B-150">
          {t("issueTitle")}
        </h2>
        <Card>
          <IssueOrderFormClient
            districts={view.districts.map((d) => ({ code: d.code, label: `${districtLabel(d)}（${d.code}）` }))}
            hazardLabels={hazardLabels}
            levelLabels={levelLabels}
          />
        </Card>
      </section>

      {lifted.length > 0 ? (
        <section aria-labelledby="lifted-title" className="space-y-4">
          <h2 id="lifted-title" className="text-std-24B-150">
            {t("liftedTitle")}
          </h2>
          <Table caption={t("liftedTitle")} regionLabel={t("liftedTitle")} data-testid="lifted-orders">
            <thead>
              <tr>
                <th scope="col">{t("district")}</th>
                <th scope="col">{t("levelAndHazard")}</th>
                <th scope="col">{t("issuedAt")}</th>
                <th scope="col">{t("liftedAt")}</th>
                <th scope="col">{t("safe")}</th>
                <th scope="col">{t("needsHelp")}</th>
              </tr>
            </thead>
            <tbody>
              {lifted.map((o) => (
                <tr key={o.id} data-order-id={o.id}>
                  <th scope="row">
                    <bdi>{districtLabel({ name: o.districtName, nameEn: o.districtNameEn })}</bdi>
                  </th>
                  <td>
                    {levelLabel(o.level, locale)}（{hazardLabel(o.hazard, locale)}）
                  </td>
                  <td>{formatDateTime(o.issuedAt, locale)}</td>
                  <td>{o.liftedAt ? formatDateTime(o.liftedAt, locale) : ""}</td>
                  <td>{o.safe}</td>
                  <td>{o.needsHelp}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        </section>
      ) : null}
    </div>
  );
}
