import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/app/_components/page-header";
import { StepUpNotice } from "@/app/_components/step-up-notice";
import { Button } from "@/app/_components/ui/button";
import { Notice } from "@/app/_components/ui/notice";
import { residentPage } from "@/app/_server/page-context";
import { getDb } from "@/lib/db/client";
import { listResidentSetTopBoxes } from "@/lib/disaster/set-top-box";
import { env } from "@/lib/env";
import { formatDateBoth, formatDateTime } from "@/lib/i18n/dates";
import { setTopBoxConsentAction } from "./actions";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("setTopBox"))("title") };
}

type TSearch = { done?: string | string[]; deleted?: string | string[]; error?: string | string[] };

/**
 * /settings/set-top-box — the household's cable-TV box: the resident's own consent to the at-home
 * estimate, how many others in the household consent, and the activity kept about the box; opt in
 * or withdraw (withdrawing deletes the activity when no one else consents). Card step-up.
 */
export default async function SetTopBoxSettingsPage({ searchParams }: { searchParams: Promise<TSearch> }) {
  const { t, locale, resident, card } = await residentPage("setTopBox");
  const lead = t("lead", { days: env().SET_TOP_BOX_HEARTBEAT_RETENTION_DAYS });
  if (!card) {
    return (
      <>
        <PageHeader title={t("title")} lead={lead} />
        <StepUpNotice next="/settings/set-top-box" loggedIn={resident !== null} />
      </>
    );
  }
  const sp = await searchParams;
  const boxes = await listResidentSetTopBoxes({ prisma: await getDb() }, { residentId: card.residentId });
  const deleted = typeof sp.deleted === "string" && /^\d{1,9}$/.test(sp.deleted) ? Number(sp.deleted) : 0;
  const error = typeof sp.error === "string" && /^[A-Z_]{1,60}$/.test(sp.error) ? sp.error : null;
  return (
    <>
      <PageHeader title={t("title")} lead={lead} />
      <div className="space-y-8">
        {sp.done === "opted-in" ? <Notice tone="success" title={t("optedInDone")} role="status" /> : null}
        {sp.done === "withdrawn" ? (
          <Notice tone="success" title={t("withdrawnDone", { count: deleted })} role="status" />
        ) : null}
        {error ? <Notice tone="error" title={error} role="alert" /> : null}
        {boxes.length === 0 ? <Notice tone="info" title={t("none")} /> : null}
        {boxes.map((b) => (
          <section
            key={b.boxId}
            aria-labelledby={`box-${b.boxId}`}
            data-box-id={b.boxId}
            className="space-y-4 rounded-12 border border-line bg-white p-6"
          >
            <h2 id={`box-${b.boxId}`} className="text-std-20B-150">
              <bdi>{b.label}</bdi>
            </h2>
            <dl className="grid gap-x-6 gap-y-2 text-std-16N-170 sm:grid-cols-[max-content_1fr]">
              <dt className="font-bold">{t("operator")}</dt>
              <dd>{locale === "en" ? b.operator.nameEn : b.operator.name}</dd>
              <dt className="font-bold">{t("yourConsent")}</dt>
              <dd data-testid="stb-consent">
                {b.optedInAt ? t("optedIn", { date: formatDateBoth(b.optedInAt, locale) }) : t("notOptedIn")}
              </dd>
              <dt className="sr-only">{t("others", { count: b.othersOptedIn })}</dt>
              <dd className="sm:col-span-2">{t("others", { count: b.othersOptedIn })}</dd>
            </dl>
            <form action={setTopBoxConsentAction} className="space-y-2">
              <input type="hidden" name="boxId" value={b.boxId} />
              <input type="hidden" name="choice" value={b.optedInAt ? "withdraw" : "opt-in"} />
              {b.optedInAt ? <p className="text-std-16N-170">{t("withdrawNote")}</p> : null}
              <Button type="submit" variant={b.optedInAt ? "outline" : "solid-fill"} data-testid="stb-consent-toggle">
                {b.optedInAt ? t("withdraw") : t("optIn")}
              </Button>
            </form>
            <h3 className="text-std-18B-160">{t("recentTitle")}</h3>
            <p className="text-std-16N-170" data-testid="stb-kept">
              {t("kept", { count: b.keptCount })}
            </p>
            {b.recent.length === 0 ? (
              <p className="text-std-16N-170">{t("recentNone")}</p>
            ) : (
              <ul className="space-y-1 text-std-16N-170" data-testid="stb-recent">
                {b.recent.map((h) => (
                  <li key={`${h.at.toISOString()}-${h.activity}`}>
                    <time dateTime={h.at.toISOString()}>{formatDateTime(h.at, locale)}</time> —{" "}
                    {t(`activity.${h.activity}`)}
                  </li>
                ))}
              </ul>
            )}
          </section>
        ))}
      </div>
    </>
  );
}
