import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { DistrictMap, type TDistrictMapArea, type TDistrictMapMarker } from "@/app/_components/district-map";
import { LoginRequired } from "@/app/_components/login-required";
import { PageHeader } from "@/app/_components/page-header";
import { Breadcrumbs } from "@/app/_components/ui/breadcrumbs";
import { LinkButton } from "@/app/_components/ui/link-button";
import { Notice } from "@/app/_components/ui/notice";
import { staffPage } from "@/app/_server/page-context";
import { getDb } from "@/lib/db/client";
import { SHELTER_STAFF_ROLES, shelterDashboard } from "@/lib/disaster/shelters/dashboard";
import { districtOutlines } from "@/lib/disaster/orders/console";
import { LiveShelterDashboard } from "./live-shelter-dashboard";
import { ShelterToggleForm } from "./toggle-form";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("adminShelters"))("title") };
}

/** The fill of a district by how many residents are not yet accounted for. */
function fillOf(level: number | null, unaccounted: number): string {
  if (level === null) return "fill-solid-gray-100";
  if (unaccounted === 0) return "fill-green-200";
  return unaccounted >= 10 ? "fill-red-300" : "fill-yellow-200";
}

/**
 * /admin/disaster/shelters: the live shelter dashboard for disaster officers — per shelter head
 * count, capacity, occupancy, needs and supply suggestions; per district under an active order
 * who replied, who is checked in, who is not yet accounted for and of those who is probably at
 * home. Server-rendered first; the tables then follow the server-sent events (no reload).
 */
export default async function AdminSheltersPage() {
  const { t, locale, staff } = await staffPage("adminShelters");
  const common = await getTranslations();
  const header = (
    <>
      <Breadcrumbs
        aria-label={common("common.breadcrumbLabel")}
        items={[
          { label: common("admin.title"), href: "/admin" },
          { label: common("admin.disasterTitle"), href: "/admin/disaster" },
          { label: t("title") },
        ]}
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
  if (!staff.roles.some((r) => (SHELTER_STAFF_ROLES as readonly string[]).includes(r))) {
    return (
      <div className="space-y-6">
        {header}
        <Notice tone="error" title={t("forbidden")} data-error-code="FORBIDDEN" />
      </div>
    );
  }
  const ctx = { prisma: await getDb() };
  const [snapshot, districts] = await Promise.all([shelterDashboard(ctx), districtOutlines(ctx)]);
  const status = new Map(snapshot.districts.map((d) => [d.code, d]));
  const areas: TDistrictMapArea[] = [];
  for (const d of districts) {
    if (!d.geometry) continue;
    const s = status.get(d.code);
    const level = s?.level ?? null;
    const name = locale === "en" ? d.nameEn : d.name;
    areas.push({
      code: d.code,
      label: level === null ? name : `${name} ${t("mapUnaccounted", { count: s?.unaccounted ?? 0 })}`,
      geometry: d.geometry,
      fillClassName: fillOf(level, s?.unaccounted ?? 0),
      description: level === null ? t("noOrder") : t("level", { level }),
    });
  }
  const markers: TDistrictMapMarker[] = snapshot.shelters.map((s) => ({
    id: s.id,
    label: `${locale === "en" ? s.nameEn : s.name} ${s.headCount}/${s.capacity}`,
    latitude: s.latitude,
    longitude: s.longitude,
    fillClassName: s.open ? (s.headCount > s.capacity ? "fill-red-700" : "fill-blue-700") : "fill-solid-gray-500",
    shape: s.kind === "DESIGNATED" ? "circle" : s.kind === "WELFARE" ? "square" : "triangle",
    description: s.open ? t("open") : t("closed"),
  }));
  return (
    <div className="space-y-8">
      {header}
      <div className="flex flex-wrap gap-4">
        <LinkButton href="/admin/disaster/shelters/unaccounted" variant="outline">
          {t("unaccountedLink")}
        </LinkButton>
        <LinkButton href="/admin/disaster/shelters/supplies.csv" variant="outline">
          {t("suppliesCsv")}
        </LinkButton>
      </div>
      <DistrictMap
        title={t("mapTitle")}
        areas={areas}
        markers={markers}
        legend={[
          { label: t("legend.designated"), fillClassName: "fill-blue-700", shape: "circle" },
          { label: t("legend.welfare"), fillClassName: "fill-blue-700", shape: "square" },
          { label: t("legend.hospital"), fillClassName: "fill-blue-700", shape: "triangle" },
          { label: t("legend.full"), fillClassName: "fill-red-700", shape: "circle" },
          { label: t("legend.closedShelter"), fillClassName: "fill-solid-gray-500", shape: "circle" },
          { label: t("legend.allAccounted"), fillClassName: "fill-green-200" },
          { label: t("legend.someUnaccounted"), fillClassName: "fill-yellow-200" },
          { label: t("legend.manyUnaccounted"), fillClassName: "fill-red-300" },
          { label: t("legend.noOrder"), fillClassName: "fill-solid-gray-100" },
        ]}
      />
      <p className="text-std-16N-170">{t("mapAlternative")}</p>
      <LiveShelterDashboard initial={snapshot} locale={locale} />
      <section aria-labelledby="manage-shelters" className="space-y-4">
        <h2 id="manage-shelters" className="text-std-24B-150">
          {t("manageTitle")}
        </h2>
        <ul className="grid gap-3">
          {snapshot.shelters.map((s) => (
            <li key={s.id} className="flex flex-wrap items-center justify-between gap-3 border-b border-line pb-3">
              <span>
                <bdi>{locale === "en" ? s.nameEn : s.name}</bdi> ({s.open ? t("open") : t("closed")})
              </span>
              <ShelterToggleForm shelterId={s.id} open={s.open} name={locale === "en" ? s.nameEn : s.name} />
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
