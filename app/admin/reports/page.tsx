import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { DistrictMap } from "@/app/_components/district-map";
import { LoginRequired } from "@/app/_components/login-required";
import { PageHeader } from "@/app/_components/page-header";
import { EmptyState } from "@/app/_components/ui/empty-state";
import { Notice } from "@/app/_components/ui/notice";
import { Table } from "@/app/_components/ui/table";
import { staffPage } from "@/app/_server/page-context";
import { getDb } from "@/lib/db/client";
import { CATEGORY_MARKER, REPORT_CATEGORIES, REPORT_STATUSES, REPORT_TRIAGE_ROLES } from "@/lib/reports/categories";
import { roadBoard } from "@/lib/reports/roads";
import { townDistricts } from "@/lib/reports/town-map";
import { listReportAssignees, listReportsForStaff } from "@/lib/reports/triage";
import { SegmentClosureFormClient, TriageFormClient } from "./forms-client";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("adminReports"))("title") };
}

/** Staff triage: the reports on the town map (shape per category) and as a list, road closures. */
export default async function AdminReportsPage() {
  const { t, locale, staff } = await staffPage("adminReports");
  if (!staff) return <LoginRequired kind="staff" />;
  if (!staff.roles.some((r) => (REPORT_TRIAGE_ROLES as readonly string[]).includes(r))) {
    return <Notice tone="warning" title={t("forbidden")} />;
  }
  const prisma = await getDb();
  const [reports, assignees, districts, segments] = await Promise.all([
    listReportsForStaff(prisma, { staff: { staffId: staff.staffId, roles: staff.roles } }),
    listReportAssignees(prisma),
    townDistricts(prisma),
    roadBoard(prisma),
  ]);
  const when = (d: Date) => d.toLocaleString(locale === "en" ? "en-GB" : "ja-JP", { timeZone: "Asia/Tokyo" });
  const open = reports.filter((r) => r.status !== "CLOSED");
  return (
    <>
      <PageHeader title={t("title")} lead={t("lead", { open: open.length, total: reports.length })} />
      <section className="mb-10 space-y-3" aria-labelledby="reports-map">
        <h2 id="reports-map" className="text-std-24B-150">
          {t("mapTitle")}
        </h2>
        <DistrictMap
          title={t("mapTitle")}
          areas={districts.map((d) => ({
            code: d.code,
            label: locale === "en" ? d.nameEn : d.name,
            geometry: d.geometry,
            fillClassName: "fill-solid-gray-100",
          }))}
          markers={open.map((r) => ({
            id: r.id,
            label: t(`categories.${r.category}`),
            description: `${t(`statuses.${r.status}`)} — ${r.description.slice(0, 60)}`,
            latitude: r.latitude,
            longitude: r.longitude,
            shape: CATEGORY_MARKER[r.category].shape,
            fillClassName: CATEGORY_MARKER[r.category].fill,
          }))}
          legend={REPORT_CATEGORIES.map((c) => ({
            label: t(`categories.${c}`),
            shape: CATEGORY_MARKER[c].shape,
            fillClassName: CATEGORY_MARKER[c].fill,
          }))}
          className="mb-4"
        />
      </section>
      <section className="mb-10 space-y-4" aria-labelledby="reports-list">
        <h2 id="reports-list" className="text-std-24B-150">
          {t("listTitle")}
        </h2>
        {reports.length === 0 ? (
          <EmptyState title={t("empty")} />
        ) : (
          <ul className="space-y-4">
            {reports.map((r) => (
              <li
                key={r.id}
                className="space-y-3 rounded-8 border border-line p-4"
                data-testid="staff-report"
                data-report-id={r.id}
              >
                <h3 className="text-std-20B-150">
                  {t(`categories.${r.category}`)} · {t(`statuses.${r.status}`)}
                </h3>
                <p className="whitespace-pre-wrap">
                  <bdi>{r.description}</bdi>
                </p>
                <p className="text-std-16N-170 text-ink-muted">
                  {when(r.createdAt)} · {r.districtCode} · {r.latitude.toFixed(5)}, {r.longitude.toFixed(5)} ·{" "}
                  {r.fromResident ? t("fromResident") : t("fromVisitor")}
                  {r.weight > 1 ? ` · ${t("monitorReport")}` : ""}
                  {r.assignee ? (
                    <>
                      {" "}
                      · {t("assignee")}: <bdi>{r.assignee.name}</bdi>
                    </>
                  ) : null}
                  {r.roadSegment ? ` · ${t("segment")}: ${r.roadSegment.code}` : ""}
                </p>
                {r.hasPhoto ? (
                  // biome-ignore lint/performance/noImgElement: an authorised, uncached photo route; next/image would cache it.
                  <img
                    src={`/reports/${r.id}/photo`}
                    alt={t("photoAlt")}
                    className="max-h-64 rounded-6"
                    data-testid="staff-report-photo"
                  />
                ) : null}
                {r.status === "CLOSED" ? null : (
                  <TriageFormClient
                    reportId={r.id}
                    status={r.status}
                    nextStatuses={REPORT_STATUSES.slice(REPORT_STATUSES.indexOf(r.status) + 1)}
                    department={r.department}
                    assigneeId={r.assignee?.id ?? null}
                    assignees={assignees}
                    closable={
                      r.category === "ROAD_DAMAGE" && r.roadSegment && !r.roadSegment.closed
                        ? { segmentId: r.roadSegment.id, code: r.roadSegment.code }
                        : null
                    }
                  />
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="space-y-4" aria-labelledby="roads-closures">
        <h2 id="roads-closures" className="text-std-24B-150">
          {t("closuresTitle")}
        </h2>
        <Table caption={t("closuresTitle")} regionLabel={t("closuresTitle")}>
          <thead>
            <tr>
              <th scope="col">{t("segment")}</th>
              <th scope="col">{t("level")}</th>
              <th scope="col">{t("action")}</th>
            </tr>
          </thead>
          <tbody>
            {segments.map((s) => (
              <tr key={s.id}>
                <th scope="row">
                  {s.code} <bdi>{locale === "en" ? s.nameEn : s.name}</bdi>
                </th>
                <td>
                  {t(`levels.${s.level}`)}
                  {s.closedReason ? (
                    <>
                      {" "}
                      (<bdi>{s.closedReason}</bdi>)
                    </>
                  ) : null}
                </td>
                <td>
                  <SegmentClosureFormClient segmentId={s.id} closed={s.level === "CLOSED"} />
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      </section>
    </>
  );
}
