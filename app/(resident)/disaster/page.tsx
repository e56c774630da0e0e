import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { hazardLabel, LEVEL_BORDER, levelLabel } from "@/app/_components/disaster/alert-levels";
import { DistrictMap, type TDistrictMapArea } from "@/app/_components/district-map";
import { LoginRequired } from "@/app/_components/login-required";
import { PageHeader } from "@/app/_components/page-header";
import { Card } from "@/app/_components/ui/card";
import { EmptyState } from "@/app/_components/ui/empty-state";
import { residentPage } from "@/app/_server/page-context";
import { getDb } from "@/lib/db/client";
import { activeOrdersForResident, markOrderRead } from "@/lib/disaster/orders/active";
import { districtOutlines } from "@/lib/disaster/orders/console";
import { formatDateTime } from "@/lib/i18n/dates";
import { SafetyFormClient } from "./safety-form-client";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("disaster"))("title") };
}

/**
 * /disaster — the orders in force for the resident's district: her personal instruction in her
 * language, the nearest open shelters that suit her (list and map), the signed notice in her
 * mailbox, and 「無事です」/「助けが必要です」. Opening it marks her notices read (escalation stops).
 */
export default async function DisasterPage() {
  const { t, locale, resident, channel, requestMetadata } = await residentPage("disaster");
  if (!resident) {
    return (
      <>
        <PageHeader title={t("title")} lead={t("lead")} />
        <LoginRequired />
      </>
    );
  }
  const householdLink = (
    <p>
      <Link
        href="/disaster/household"
        className="text-std-16B-170 text-primary underline"
        data-testid="disaster-household-link"
      >
        {t("householdLink")}
      </Link>
    </p>
  );
  const ctx = { prisma: await getDb() };
  const orders = await activeOrdersForResident(ctx, resident.residentId);
  for (const o of orders) {
    if (!o.readAt && o.documentId) {
      await markOrderRead(ctx, { orderId: o.orderId, residentId: resident.residentId, channel, requestMetadata });
    }
  }
  if (orders.length === 0) {
    return (
      <>
        <PageHeader title={t("title")} lead={t("lead")} />
        <EmptyState title={t("emptyTitle")} data-testid="disaster-empty">
          <p>{t("emptyBody")}</p>
        </EmptyState>
        {householdLink}
      </>
    );
  }
  const districts = (await districtOutlines(ctx)).filter((d) => d.geometry);
  const en = locale === "en";
  return (
    <>
      <PageHeader title={t("title")} lead={t("leadActive", { name: resident.displayName })} />
      <div className="space-y-10">
        {householdLink}
        {orders.map((o) => {
          const areas: TDistrictMapArea[] = districts.map((d) => ({
            code: d.code,
            label: en ? d.nameEn : d.name,
            geometry: d.geometry!,
            fillClassName: d.id === o.districtId ? "fill-red-200" : "fill-solid-gray-100",
            description: d.id === o.districtId ? levelLabel(o.level, locale) : undefined,
          }));
          return (
            <section
              key={o.orderId}
              aria-labelledby={`order-${o.orderId}`}
              data-testid="disaster-order"
              data-order-id={o.orderId}
              data-level={o.level}
              className="space-y-6"
            >
              <Card className={`space-y-3 border-l-8 ${LEVEL_BORDER[o.level]}`}>
                <h2 id={`order-${o.orderId}`} className="text-std-24B-150">
                  {levelLabel(o.level, locale)}（{hazardLabel(o.hazard, locale)}）
                </h2>
                <p className="text-std-16N-170 text-ink-muted">
                  {t("issuedFor", {
                    district: en ? o.districtNameEn : o.districtName,
                    at: formatDateTime(o.issuedAt, locale),
                  })}
                </p>
                {o.urgent ? (
                  <p className="text-std-16B-170 text-error" data-testid="urgent">
                    {t("urgent")}
                  </p>
                ) : null}
                <h3 className="text-std-18B-160">{t("instructionTitle", { name: resident.displayName })}</h3>
                <p className="whitespace-pre-line text-std-18N-160" data-testid="instruction" lang={o.language}>
                  {o.instruction}
                </p>
                {o.documentId ? (
                  <Link
                    href={`/mailbox/${o.documentId}`}
                    className="inline-block text-std-16B-170 text-primary underline"
                  >
                    {t("documentLink")}
                  </Link>
                ) : null}
              </Card>

              <section aria-labelledby={`shelters-${o.orderId}`} className="space-y-4">
                <h3 id={`shelters-${o.orderId}`} className="text-std-20B-150">
                  {t("sheltersTitle")}
                </h3>
                {o.shelters.length === 0 ? (
                  <p data-testid="no-shelter">{t("noShelter")}</p>
                ) : (
                  <ol className="space-y-3" data-testid="shelters">
                    {o.shelters.map((s, i) => (
                      <li key={s.id} className="rounded-8 border border-line p-4">
                        <p className="text-std-18B-160">
                          {i + 1}. <bdi>{en ? s.nameEn : s.name}</bdi>
                          {s.distanceKm !== null ? `（${t("distance", { km: s.distanceKm.toFixed(1) })}）` : null}
                        </p>
                        <p className="text-std-16N-170">
                          <bdi>{s.address}</bdi>
                        </p>
                        <p className="text-std-16N-170 text-ink-muted">
                          {t(`kind.${s.kind}`)}
                          {s.features.length > 0
                            ? ` ・ ${s.features.map((f) => (t.has(`feature.${f}`) ? t(`feature.${f}`) : f)).join("、")}`
                            : null}
                          {s.meetsNeeds ? null : ` ・ ${t("needsNotMet")}`}
                        </p>
                      </li>
                    ))}
                  </ol>
                )}
                {areas.length > 0 ? (
                  <DistrictMap
                    title={t("mapTitle")}
                    areas={areas}
                    markers={o.shelters.map((s, i) => ({
                      id: s.id,
                      label: `${i + 1}. ${en ? s.nameEn : s.name}`,
                      latitude: s.latitude,
                      longitude: s.longitude,
                      fillClassName: "fill-green-800",
                      shape: "square" as const,
                    }))}
                    legend={[
                      { label: t("legendDistrict"), fillClassName: "fill-red-200" },
                      { label: t("legendShelter"), fillClassName: "fill-green-800", shape: "square" },
                    ]}
                  />
                ) : null}
              </section>

              <section aria-labelledby={`safety-${o.orderId}`} className="space-y-3">
                <h3 id={`safety-${o.orderId}`} className="text-std-20B-150">
                  {t("safetyTitle")}
                </h3>
                <p data-testid="safety-current" data-status={o.safety?.status ?? "NONE"}>
                  {o.safety
                    ? t(o.safety.status === "SAFE" ? "currentSafe" : "currentNeedsHelp", {
                        at: formatDateTime(o.safety.repliedAt, locale),
                      })
                    : t("currentNone")}
                </p>
                <SafetyFormClient orderId={o.orderId} current={o.safety?.status ?? null} />
              </section>
            </section>
          );
        })}
      </div>
    </>
  );
}
