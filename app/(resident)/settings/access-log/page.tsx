import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/app/_components/page-header";
import { Card } from "@/app/_components/ui/card";
import { EmptyState } from "@/app/_components/ui/empty-state";
import { LinkButton } from "@/app/_components/ui/link-button";
import { Table } from "@/app/_components/ui/table";
import { residentPage } from "@/app/_server/page-context";
import type { TAccessLogEntryDto } from "@/lib/audit/list-access-log";
import { viewAccessLog } from "@/lib/consent/view-access-log";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { formatDateTime, formatJapaneseEraDate } from "@/lib/i18n/dates";
import { StepUpNotice } from "@/app/_components/step-up-notice";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("accessLog");
  return { title: t("title") };
}

type TProps = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/**
 * /settings/access-log — "who looked at my data": the resident's own audit events, newest first,
 * by cursor pages, with CSV/JSON export. Viewing is itself audited (lib/consent/view-access-log).
 */
export default async function AccessLogPage({ searchParams }: TProps) {
  const { t, locale, resident, card, channel, requestMetadata } = await residentPage("accessLog");
  if (!card) {
    return (
      <>
        <PageHeader title={t("title")} lead={t("lead")} />
        <StepUpNotice next="/settings/access-log" loggedIn={resident !== null} />
      </>
    );
  }
  const raw = (await searchParams).cursor;
  const cursor = typeof raw === "string" && raw.length <= 40 ? raw : undefined;
  const page = await viewAccessLog(await getDb(), {
    residentId: card.residentId,
    cursor,
    limit: 20,
    channel,
    requestMetadata,
  }).catch(async (err: unknown) => {
    // A stale or edited cursor shows the first page rather than an error.
    if (err instanceof AppError && err.code === "VALIDATION_FAILED") {
      return viewAccessLog(await getDb(), { residentId: card.residentId, limit: 20, channel, requestMetadata });
    }
    throw err;
  });
  const typeLabel = (type: string) => {
    const key = `types.${type.replaceAll(".", "__")}`;
    return t.has(key) ? t(key) : type;
  };
  const who = (a: TAccessLogEntryDto["actor"]) => {
    if (a.isSelf) return t("self");
    const kind = t(`actorTypes.${a.type}`);
    const label = locale === "en" ? (a.labelEn ?? a.label) : a.label;
    return label ? `${kind}：${label}` : kind;
  };
  return (
    <>
      <PageHeader title={t("title")} lead={t("lead")} />
      <div className="space-y-8">
        <Card>
          <h2 className="text-std-20B-150">{t("exportTitle")}</h2>
          <p className="mt-2 mb-4 text-std-16N-175">{t("exportBody")}</p>
          <div className="flex flex-wrap gap-4">
            <LinkButton href="/settings/access-log/export?format=csv" variant="outline" prefetch={false} download>
              {t("exportCsv")}
            </LinkButton>
            <LinkButton href="/settings/access-log/export?format=json" variant="outline" prefetch={false} download>
              {t("exportJson")}
            </LinkButton>
          </div>
        </Card>
        {page.items.length === 0 ? (
          <EmptyState title={t("emptyTitle")}>
            <p>{t("emptyBody")}</p>
          </EmptyState>
        ) : (
          <div className="space-y-4" data-testid="access-log">
            <Table caption={t("caption")} regionLabel={t("region")}>
              <thead>
                <tr>
                  <th scope="col">{t("colWhen")}</th>
                  <th scope="col">{t("colWho")}</th>
                  <th scope="col">{t("colWhat")}</th>
                  <th scope="col">{t("colPurpose")}</th>
                  <th scope="col">{t("colChannel")}</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((item) => (
                  <tr key={item.id} data-event-type={item.type} data-actor-type={item.actor.type}>
                    <th scope="row" className="font-normal">
                      <time dateTime={item.occurredAt}>{formatDateTime(item.occurredAt, locale)}</time>
                      <span className="block text-ink-muted">{formatJapaneseEraDate(item.occurredAt, locale)}</span>
                    </th>
                    <td>{who(item.actor)}</td>
                    <td>{typeLabel(item.type)}</td>
                    <td>{item.purpose ?? "—"}</td>
                    <td>{item.channel ? t(`channels.${item.channel}`) : "—"}</td>
                  </tr>
                ))}
              </tbody>
            </Table>
            <nav aria-label={t("caption")} className="flex flex-wrap gap-4">
              {cursor ? (
                <LinkButton href="/settings/access-log" variant="outline">
                  {t("first")}
                </LinkButton>
              ) : null}
              {page.nextCursor ? (
                <LinkButton
                  href={`/settings/access-log?cursor=${encodeURIComponent(page.nextCursor)}`}
                  variant="outline"
                >
                  {t("next")}
                </LinkButton>
              ) : null}
            </nav>
          </div>
        )}
      </div>
    </>
  );
}
