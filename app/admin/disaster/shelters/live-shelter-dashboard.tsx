"use client";

import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { Table } from "@/app/_components/ui/table";
import type { TShelterDashboard } from "@/lib/disaster/shelters/schemas";

/**
 * The dashboard's live tables: rendered on the server with the first snapshot, then kept current
 * by the server-sent events of ./stream (a snapshot only when a figure changed). On a change the
 * server-rendered parts (the map) are refreshed too (router.refresh, no reload). Screen readers
 * hear a polite "updated at …" rather than every figure.
 */
export function LiveShelterDashboard({ initial, locale }: { initial: TShelterDashboard; locale: "ja" | "en" }) {
  const t = useTranslations("adminShelters");
  const router = useRouter();
  const [snapshot, setSnapshot] = useState(initial);
  const [live, setLive] = useState(false);
  const version = useRef(initial.version);

  useEffect(() => {
    const source = new EventSource("/admin/disaster/shelters/stream");
    source.onopen = () => setLive(true);
    source.onerror = () => setLive(false);
    source.addEventListener("snapshot", (e) => {
      const next = JSON.parse((e as MessageEvent<string>).data) as TShelterDashboard;
      if (next.version === version.current) return;
      version.current = next.version;
      setSnapshot(next);
      router.refresh();
    });
    return () => source.close();
  }, [router]);

  const time = new Date(snapshot.at).toLocaleTimeString(locale, { timeZone: "Asia/Tokyo" });
  return (
    <div className="space-y-8" data-testid="shelter-dashboard" data-live={live ? "true" : "false"}>
      <p role="status" aria-live="polite" className="text-std-16N-170">
        {live ? t("liveAt", { time }) : t("staticAt", { time })}
      </p>
      <Table caption={t("sheltersCaption")} regionLabel={t("sheltersCaption")}>
        <thead>
          <tr>
            <th scope="col">{t("col.shelter")}</th>
            <th scope="col">{t("col.status")}</th>
            <th scope="col">{t("col.headCount")}</th>
            <th scope="col">{t("col.capacity")}</th>
            <th scope="col">{t("col.occupancy")}</th>
            <th scope="col">{t("col.needs")}</th>
            <th scope="col">{t("col.supplies")}</th>
          </tr>
        </thead>
        <tbody>
          {snapshot.shelters.map((s) => (
            <tr key={s.id} data-shelter-code={s.code}>
              <th scope="row">
                <bdi>{locale === "en" ? s.nameEn : s.name}</bdi>
                <span className="block text-std-14N-170">
                  {t(`kind.${s.kind}`)} · {s.districtCode}
                </span>
              </th>
              <td>{s.open ? t("open") : t("closed")}</td>
              <td data-testid="shelter-head-count">{s.headCount}</td>
              <td>{s.capacity}</td>
              <td className={s.headCount > s.capacity ? "font-bold text-error" : undefined}>
                {s.occupancyPercent}%{s.headCount > s.capacity ? ` ${t("overCapacity")}` : ""}
              </td>
              <td>
                {s.needs.length === 0
                  ? t("none")
                  : s.needs
                      .map((n) => `${t.has(`need.${n.need}`) ? t(`need.${n.need}`) : n.need} ${n.count}`)
                      .join("、")}
              </td>
              <td>
                {s.supplies.length === 0 ? (
                  t("none")
                ) : (
                  <ul className="space-y-1">
                    {s.supplies.map((l) => (
                      <li key={l.id}>
                        {l.item[locale]}: <strong>{l.quantity}</strong> {l.unit[locale]}{" "}
                        <span className="text-std-14N-170">（{l.rule[locale]}）</span>
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
      <Table caption={t("districtsCaption")} regionLabel={t("districtsCaption")}>
        <thead>
          <tr>
            <th scope="col">{t("col.district")}</th>
            <th scope="col">{t("col.level")}</th>
            <th scope="col">{t("col.residents")}</th>
            <th scope="col">{t("col.replied")}</th>
            <th scope="col">{t("col.checkedIn")}</th>
            <th scope="col">{t("col.unaccounted")}</th>
            <th scope="col">{t("col.atHome")}</th>
          </tr>
        </thead>
        <tbody>
          {snapshot.districts.map((d) => (
            <tr key={d.districtId} data-district-code={d.code}>
              <th scope="row">
                <bdi>{d.name}</bdi> <span className="text-std-14N-170">{d.code}</span>
              </th>
              <td>{d.level === null ? t("noOrder") : t("level", { level: d.level })}</td>
              <td>{d.level === null ? "—" : d.residents}</td>
              <td data-testid="district-replied">{d.level === null ? "—" : d.replied}</td>
              <td data-testid="district-checked-in">{d.level === null ? "—" : d.checkedIn}</td>
              <td data-testid="district-unaccounted">{d.level === null ? "—" : d.unaccounted}</td>
              <td data-testid="district-at-home">{d.level === null ? "—" : d.probablyAtHome}</td>
            </tr>
          ))}
        </tbody>
      </Table>
    </div>
  );
}
