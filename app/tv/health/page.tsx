import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { tvPage } from "@/app/_server/page-context";
import { getDb } from "@/lib/db/client";
import { formatDateTime } from "@/lib/i18n/dates";
import { getDocumentOrThrow } from "@/lib/mailbox/get-document";
import { listDocuments } from "@/lib/mailbox/list-documents";
import { TvDocument } from "../_components/tv-document";
import { TvFrame, TvTile } from "../_components/tv-frame";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("tv"))("healthTitle") };
}

/**
 * /tv/health: the current medication (the newest `medication-list` the hospital delivered, shown
 * in full — opening it marks it read, as on the web) and the recent `checkup-result` documents
 * (number keys open them).
 */
export default async function TvHealthPage() {
  const { t, locale, resident, channel, requestMetadata } = await tvPage("tv");
  if (!resident) redirect("/tv");
  const prisma = await getDb();
  const base = { residentId: resident.residentId, channel, requestMetadata };
  const [medication, checkups] = await Promise.all([
    listDocuments(prisma, { ...base, limit: 1, filter: { type: "medication-list" } }),
    listDocuments(prisma, { ...base, limit: 5, filter: { type: "checkup-result" } }),
  ]);
  const latest = medication.items[0];
  const medicationDoc = latest ? await getDocumentOrThrow(prisma, { ...base, documentId: latest.id }) : null;
  return (
    <TvFrame t={t} title={t("healthTitle")} back="/tv?menu=1" screen="health">
      <section aria-labelledby="tv-medication" className="space-y-6" data-testid="tv-medication">
        <h2 id="tv-medication" className="text-tv-title font-bold">
          {t("medicationTitle")}
        </h2>
        {medicationDoc ? (
          <>
            <p className="text-tv-body">
              {t("medicationFrom", {
                issuer: locale === "en" ? medicationDoc.issuer.nameEn : medicationDoc.issuer.name,
                date: formatDateTime(medicationDoc.createdAt, locale),
              })}
            </p>
            <TvDocument t={t} locale={locale} doc={medicationDoc} />
          </>
        ) : (
          <p className="text-tv-body">{t("medicationNone")}</p>
        )}
      </section>
      <section aria-labelledby="tv-checkups" className="space-y-6" data-testid="tv-checkups">
        <h2 id="tv-checkups" className="text-tv-title font-bold">
          {t("checkupTitle")}
        </h2>
        {checkups.items.length === 0 ? (
          <p className="text-tv-body">{t("checkupNone")}</p>
        ) : (
          <ol className="space-y-6">
            {checkups.items.map((d, i) => (
              <li key={d.id}>
                <TvTile href={`/tv/mailbox/${d.id}?from=health`} n={i + 1}>
                  <bdi>{d.subject[locale]}</bdi>
                  <span className="block text-std-24B-150 font-normal">{formatDateTime(d.createdAt, locale)}</span>
                </TvTile>
              </li>
            ))}
          </ol>
        )}
      </section>
    </TvFrame>
  );
}
