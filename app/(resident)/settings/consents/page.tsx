import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/app/_components/page-header";
import { residentPage } from "@/app/_server/page-context";
import { listConsents } from "@/lib/consent/list-consents";
import { getDb } from "@/lib/db/client";
import { formatDateBoth } from "@/lib/i18n/dates";
import { listOidcConsents } from "@/lib/oidc/consent";
import { revokeConsentAction } from "./actions";
import { RevocableTableClient, type TRevocableLabels } from "@/app/_components/revocable-table-client";
import { StepUpNotice } from "@/app/_components/step-up-notice";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("consents");
  return { title: t("title") };
}

/**
 * /settings/consents — the consent ledger: partners that may deliver to the resident
 * and partners that may read one of their documents, each revocable. Personal data: card step-up.
 */
export default async function ConsentsPage() {
  const { t, locale, resident, card, channel, requestMetadata } = await residentPage("consents");
  const tLinks = await getTranslations("links");
  const tBox = await getTranslations("setTopBox");
  if (!card) {
    return (
      <>
        <PageHeader title={t("title")} lead={t("lead")} />
        <StepUpNotice next="/settings/consents" loggedIn={resident !== null} />
      </>
    );
  }
  const ledger = await listConsents(await getDb(), { residentId: card.residentId, channel, requestMetadata });
  const sso = await listOidcConsents(await getDb(), card.residentId);
  const tSso = await getTranslations("sso");
  const name = (p: { name: string; nameEn: string }) => (locale === "en" ? p.nameEn : p.name);
  const labels: TRevocableLabels = {
    revoke: t("revoke"),
    confirmTitle: t("confirmTitle"),
    confirm: t("confirm"),
    cancel: t("cancel"),
    done: t("done"),
    error: t.raw("error") as string,
  };
  return (
    <>
      <PageHeader title={t("title")} lead={t("lead")} />
      <div className="space-y-10">
        <section aria-labelledby="consents-delivery" className="space-y-4">
          <h2 id="consents-delivery" className="text-std-20B-150">
            {t("deliveryCaption")}
          </h2>
          <RevocableTableClient
            empty={{ title: t("emptyDeliveryTitle"), body: t("emptyDeliveryBody") }}
            testId="consents-delivery"
            caption={t("deliveryCaption")}
            regionLabel={t("deliveryRegion")}
            columns={[t("colPartner"), t("colReference"), t("colPurposes"), t("colSince"), t("colAction")]}
            rows={ledger.delivery.map((l) => ({
              id: l.linkId,
              kind: "link",
              cells: [
                name(l.partner),
                l.partnerRef,
                l.purposes.map((p) => tLinks(`purposes.${p}`)).join("、"),
                formatDateBoth(l.linkedAt, locale),
              ],
              revokeLabel: t("revokeDelivery", { name: name(l.partner) }),
              confirmText: t("confirmDelivery", { name: name(l.partner) }),
              revocable: true,
            }))}
            labels={labels}
            action={revokeConsentAction}
          />
        </section>
        <section aria-labelledby="consents-reading" className="space-y-4">
          <h2 id="consents-reading" className="text-std-20B-150">
            {t("readingCaption")}
          </h2>
          <RevocableTableClient
            empty={{ title: t("emptyReadingTitle"), body: t("emptyReadingBody") }}
            testId="consents-reading"
            caption={t("readingCaption")}
            regionLabel={t("readingRegion")}
            columns={[t("colPartner"), t("colDocument"), t("colUntil"), t("colAction")]}
            rows={ledger.reading.map((s) => ({
              id: s.shareId,
              kind: "share",
              cells: [name(s.partner), s.documentTitle[locale], formatDateBoth(s.expiresAt, locale)],
              revokeLabel: t("revokeReading", { name: name(s.partner), document: s.documentTitle[locale] }),
              confirmText: t("confirmReading", { name: name(s.partner), document: s.documentTitle[locale] }),
              revocable: true,
            }))}
            labels={labels}
            action={revokeConsentAction}
          />
        </section>
        <section
          aria-labelledby="consents-traffic-monitor"
          className="space-y-2"
          data-testid="consents-traffic-monitor"
        >
          <h2 id="consents-traffic-monitor" className="text-std-20B-150">
            {t("trafficMonitorCaption")}
          </h2>
          <p>
            {ledger.trafficMonitor
              ? t("trafficMonitorOn", { since: formatDateBoth(ledger.trafficMonitor.since, locale) })
              : t("trafficMonitorOff")}
          </p>
          <Link href="/roads" className="text-primary underline">
            {t("trafficMonitorManage")}
          </Link>
        </section>
        <section aria-labelledby="consents-set-top-box" className="space-y-4" data-testid="consents-set-top-box">
          <h2 id="consents-set-top-box" className="text-std-20B-150">
            {tBox("title")}
          </h2>
          {ledger.setTopBox.length === 0 ? (
            <p className="text-std-16N-170">{tBox("ledgerNone")}</p>
          ) : (
            <ul className="list-disc space-y-1 pl-6 text-std-16N-170">
              {ledger.setTopBox.map((b) => (
                <li key={b.boxId}>
                  <bdi>{b.label}</bdi>（{name(b.operator)}）—{" "}
                  {tBox("optedIn", { date: formatDateBoth(b.optedInAt, locale) })}
                </li>
              ))}
            </ul>
          )}
          <p>
            <Link href="/settings/set-top-box" className="text-primary underline">
              {tBox("ledgerManage")}
            </Link>
          </p>
        </section>
        <section aria-labelledby="consents-sso" className="space-y-4">
          <h2 id="consents-sso" className="text-std-20B-150">
            {tSso("ledgerCaption")}
          </h2>
          <RevocableTableClient
            empty={{ title: tSso("emptySsoTitle"), body: tSso("emptySsoBody") }}
            testId="consents-sso"
            caption={tSso("ledgerCaption")}
            regionLabel={tSso("ledgerRegion")}
            columns={[tSso("colService"), tSso("colClaims"), tSso("colSince"), tSso("colAction")]}
            rows={sso.map((c) => ({
              id: c.client.id,
              kind: "sso",
              cells: [
                name(c.client),
                c.claims.map((claim) => tSso(`claims.${claim}`)).join("、"),
                formatDateBoth(c.grantedAt, locale),
              ],
              revokeLabel: tSso("revokeSso", { name: name(c.client) }),
              confirmText: tSso("confirmSso", { name: name(c.client) }),
              revocable: true,
            }))}
            labels={labels}
            action={revokeConsentAction}
          />
        </section>
      </div>
    </>
  );
}
