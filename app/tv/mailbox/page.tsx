import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { tvPage } from "@/app/_server/page-context";
import { getDb } from "@/lib/db/client";
import { formatDateTime } from "@/lib/i18n/dates";
import { listDocuments } from "@/lib/mailbox/list-documents";
import { TvFrame, TvTile } from "../_components/tv-frame";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("tv"))("mailboxTitle") };
}

/** /tv/mailbox: the unread count and the nine newest documents, number keys 1–9 open them. */
export default async function TvMailboxPage() {
  const { t, locale, resident, channel, requestMetadata } = await tvPage("tv");
  if (!resident) redirect("/tv");
  const { items, unreadCount } = await listDocuments(await getDb(), {
    residentId: resident.residentId,
    limit: 9,
    channel,
    requestMetadata,
  });
  return (
    <TvFrame t={t} title={t("mailboxTitle")} back="/tv?menu=1" screen="mailbox">
      <p className="text-tv-body" data-testid="tv-unread-count">
        {t("unread", { count: unreadCount })}
      </p>
      {items.length === 0 ? (
        <p className="text-tv-body">{t("mailboxEmpty")}</p>
      ) : (
        <nav aria-label={t("mailboxListLabel")}>
          <ol className="space-y-6" data-testid="tv-documents">
            {items.map((d, i) => (
              <li key={d.id} data-unread={d.readAt ? undefined : ""}>
                <TvTile href={`/tv/mailbox/${d.id}`} n={i + 1}>
                  {d.readAt ? null : (
                    <span className="mr-4 rounded-12 bg-yellow-300 px-3 text-black">{t("unreadMark")}</span>
                  )}
                  <bdi>{d.subject[locale]}</bdi>
                  <span className="block text-std-24B-150 font-normal">
                    <bdi>{locale === "en" ? d.issuer.nameEn : d.issuer.name}</bdi> ・{" "}
                    {formatDateTime(d.createdAt, locale)}
                  </span>
                </TvTile>
              </li>
            ))}
          </ol>
        </nav>
      )}
    </TvFrame>
  );
}
