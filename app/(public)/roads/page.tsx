import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { DistrictMap } from "@/app/_components/district-map";
import { PageHeader } from "@/app/_components/page-header";
import { EmptyState } from "@/app/_components/ui/empty-state";
import { Table } from "@/app/_components/ui/table";
import { pageContext } from "@/app/_server/page-context";
import { requireResident } from "@/app/_server/session";
import { getDb } from "@/lib/db/client";
import type { TCongestionLevel } from "@/lib/reports/congestion";
import { isTrafficMonitor } from "@/lib/reports/monitors";
import { roadBoard } from "@/lib/reports/roads";
import { lineMidpoint, townDistricts } from "@/lib/reports/town-map";
import { MonitorFormClient } from "./monitor-form-client";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("roads"))("title") };
}

const LEVEL_MARKER: Record<TCongestionLevel, { shape: "circle" | "square" | "triangle"; fill: string }> = {
  UNKNOWN: { shape: "circle", fill: "fill-solid-gray-500" },
  FREE: { shape: "circle", fill: "fill-green-800" },
  SLOW: { shape: "square", fill: "fill-yellow-700" },
  CONGESTED: { shape: "triangle", fill: "fill-orange-800" },
  CLOSED: { shape: "triangle", fill: "fill-red-900" },
};

/** The road board: each segment's congestion (probe speeds and reports) and closures, as a table and a map. */
export default async function RoadsPage() {
  const { t, locale } = await pageContext("roads");
  const prisma = await getDb();
  const [segments, districts, resident] = await Promise.all([
    roadBoard(prisma),
    townDistricts(prisma),
    requireResident(),
  ]);
  const monitor = resident ? await isTrafficMonitor(prisma, resident.residentId) : false;
  const levels = Object.keys(LEVEL_MARKER) as TCongestionLevel[];
  return (
    <>
      <PageHeader title={t("title")} lead={t("lead")} />
      {segments.length === 0 ? (
        <EmptyState title={t("empty")} />
      ) : (
        <div className="space-y-8">
          <Table caption={t("tableCaption")} regionLabel={t("tableCaption")} data-testid="road-board">
            <thead>
              <tr>
                <th scope="col">{t("segment")}</th>
                <th scope="col">{t("level")}</th>
                <th scope="col">{t("speed")}</th>
                <th scope="col">{t("reports")}</th>
              </tr>
            </thead>
            <tbody>
              {segments.map((s) => (
                <tr key={s.id} data-segment={s.code} data-level={s.level}>
                  <th scope="row">
                    <bdi>{locale === "en" ? s.nameEn : s.name}</bdi> ({s.code})
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
                    {s.medianSpeedKmh === null
                      ? t("noData")
                      : t("speedValue", {
                          speed: Math.round(s.medianSpeedKmh),
                          limit: s.speedLimitKmh,
                          count: s.probeCount,
                        })}
                  </td>
                  <td>{s.reportScore}</td>
                </tr>
              ))}
            </tbody>
          </Table>
          <DistrictMap
            title={t("mapTitle")}
            areas={districts.map((d) => ({
              code: d.code,
              label: locale === "en" ? d.nameEn : d.name,
              geometry: d.geometry,
              fillClassName: "fill-solid-gray-100",
            }))}
            markers={segments.flatMap((s) =>
              s.geometry
                ? [
                    {
                      id: s.id,
                      label: locale === "en" ? s.nameEn : s.name,
                      description: t(`levels.${s.level}`),
                      ...lineMidpoint(s.geometry),
                      shape: LEVEL_MARKER[s.level].shape,
                      fillClassName: LEVEL_MARKER[s.level].fill,
                    },
                  ]
                : [],
            )}
            legend={levels.map((l) => ({
              label: t(`levels.${l}`),
              shape: LEVEL_MARKER[l].shape,
              fillClassName: LEVEL_MARKER[l].fill,
            }))}
          />
          <p className="max-w-[46em] text-std-16N-170">{t("rule")}</p>
        </div>
      )}
      <section className="mt-10 space-y-3" aria-labelledby="monitor-title">
        <h2 id="monitor-title" className="text-std-24B-150">
          {t("monitorTitle")}
        </h2>
        <p className="max-w-[46em]">{t("monitorBody")}</p>
        {resident ? (
          <>
            <p data-testid="monitor-state">{monitor ? t("monitorOn") : t("monitorOff")}</p>
            <MonitorFormClient monitor={monitor} />
          </>
        ) : (
          <p>{t("monitorLogin")}</p>
        )}
      </section>
    </>
  );
}
