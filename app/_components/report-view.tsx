import type { TTranslator } from "@/app/_server/page-context";
import type { TReporterView } from "@/lib/reports/track";

/** One report as its reporter sees it: status, the public note, the history and the photo. */
export function ReportView({
  report,
  t,
  locale,
  photoUrl,
}: {
  report: TReporterView;
  t: TTranslator;
  locale: string;
  /** The authorised photo URL, when the report has a photo. */
  photoUrl: string | null;
}) {
  const when = (d: Date) => d.toLocaleString(locale === "en" ? "en-GB" : "ja-JP", { timeZone: "Asia/Tokyo" });
  return (
    <article className="space-y-3 rounded-8 border border-line p-4" data-testid="report" data-report-id={report.id}>
      <h2 className="text-std-20B-150">{t(`categories.${report.category}`)}</h2>
      <p>
        {t("statusLabel")}:{" "}
        <strong data-testid="report-status" data-status={report.status}>
          {t(`statuses.${report.status}`)}
        </strong>
      </p>
      {report.publicNote ? (
        <p data-testid="report-note">
          {t("publicNote")}: <bdi>{report.publicNote}</bdi>
        </p>
      ) : null}
      <p className="whitespace-pre-wrap">
        <bdi>{report.description}</bdi>
      </p>
      <p className="text-std-16N-170 text-ink-muted">
        {t("sentAt", { at: when(report.createdAt) })} · {report.latitude.toFixed(5)}, {report.longitude.toFixed(5)}
      </p>
      {photoUrl ? (
        // biome-ignore lint/performance/noImgElement: an authorised, uncached photo route; next/image would cache it.
        <img src={photoUrl} alt={t("photoAlt")} className="max-h-80 rounded-6" data-testid="report-photo" />
      ) : null}
      <details>
        <summary>{t("history")}</summary>
        <ol className="mt-2 list-decimal space-y-1 pl-6">
          {report.history.map((h) => (
            <li key={`${h.status}-${h.at.toISOString()}`}>
              {when(h.at)} — {t(`statuses.${h.status}`)}
              {h.note ? (
                <>
                  : <bdi>{h.note}</bdi>
                </>
              ) : null}
            </li>
          ))}
        </ol>
      </details>
    </article>
  );
}
