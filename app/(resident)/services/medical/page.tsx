import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/app/_components/page-header";
import { StepUpNotice } from "@/app/_components/step-up-notice";
import { Button } from "@/app/_components/ui/button";
import { Input } from "@/app/_components/ui/input";
import { Label } from "@/app/_components/ui/label";
import { LinkButton } from "@/app/_components/ui/link-button";
import { Notice } from "@/app/_components/ui/notice";
import { SupportText } from "@/app/_components/ui/support-text";
import { residentPage } from "@/app/_server/page-context";
import { getDb } from "@/lib/db/client";
import { errorCodes } from "@/lib/errors/codes";
import { formatDateTime } from "@/lib/i18n/dates";
import { getEmergencySettings } from "@/lib/services/emergency/get-emergency-settings";
import { EMERGENCY_PARTS, ZSelfEntryKind } from "@/lib/services/emergency/schemas";
import { addSelfEntryAction, removeSelfEntryAction, saveEmergencyConsentAction } from "./actions";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("medical"))("title") };
}

type TProps = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/**
 * /services/medical — the resident's emergency medical information: who may read what after a
 * card tap (ambulance crews, other hospitals; the consent ledger of lib/services/emergency),
 * their own self-reported lines, and the break-glass reads of their history. Medical data: a
 * fresh card login is required, like the access log.
 */
export default async function MedicalPage({ searchParams }: TProps) {
  const { t, locale, resident, card } = await residentPage("medical");
  if (!card) {
    return (
      <>
        <PageHeader title={t("title")} lead={t("lead")} />
        <StepUpNotice next="/services/medical" loggedIn={resident !== null} />
      </>
    );
  }
  const settings = await getEmergencySettings(await getDb(), { residentId: card.residentId });
  const q = await searchParams;
  const saved = typeof q.saved === "string" ? q.saved : undefined;
  const error = typeof q.error === "string" && Object.hasOwn(errorCodes, q.error) ? q.error : undefined;
  return (
    <>
      <PageHeader title={t("title")} lead={t("lead")} />
      <div className="space-y-10">
        {saved ? (
          <Notice tone="success" role="status" title={saved === "withdrawn" ? t("withdrawn") : t("saved")} />
        ) : null}
        {error ? (
          <Notice tone="error" role="alert" title={t("errorTitle")} data-error-code={error}>
            <p>{t("errorCode", { code: error })}</p>
          </Notice>
        ) : null}

        <section aria-labelledby="consent-title" className="space-y-6">
          <h2 id="consent-title" className="text-std-24B-150">
            {t("consentTitle")}
          </h2>
          {settings.consents.map((c) => (
            <form
              key={c.audience}
              action={saveEmergencyConsentAction}
              className="space-y-4 rounded-16 border-2 border-solid-gray-420 p-6"
              data-audience={c.audience}
            >
              <input type="hidden" name="audience" value={c.audience} />
              <h3 className="text-std-20B-150">{t(`audience.${c.audience}`)}</h3>
              <p className="text-std-16N-175" data-testid={`consent-status-${c.audience}`}>
                {c.active
                  ? `${t("statusActive", { date: formatDateTime(c.active.grantedAt, locale) })}${c.active.breakGlass ? "" : ` / ${t("statusRefused")}`}`
                  : t("statusNone")}
              </p>
              <fieldset className="space-y-2">
                <legend className="mb-2 text-std-17B-170">{t("partsLegend")}</legend>
                {EMERGENCY_PARTS.map((p) => (
                  <div key={p} className="flex items-center gap-3">
                    <input
                      type="checkbox"
                      id={`${c.audience}-${p}`}
                      name={`part:${p}`}
                      defaultChecked={c.active?.parts.includes(p) ?? false}
                      className="size-6"
                    />
                    <label htmlFor={`${c.audience}-${p}`} className="text-std-16N-175">
                      {t(`parts.${p}`)}
                    </label>
                  </div>
                ))}
              </fieldset>
              <div className="flex items-start gap-3">
                <input
                  type="checkbox"
                  id={`${c.audience}-breakGlass`}
                  name="breakGlass"
                  defaultChecked={c.active?.breakGlass ?? true}
                  aria-describedby={`${c.audience}-breakGlass-hint`}
                  className="mt-1 size-6"
                />
                <div>
                  <label htmlFor={`${c.audience}-breakGlass`} className="text-std-16B-170">
                    {t("breakGlass")}
                  </label>
                  <SupportText id={`${c.audience}-breakGlass-hint`}>{t("breakGlassHint")}</SupportText>
                </div>
              </div>
              <div className="flex flex-wrap gap-3">
                <Button type="submit" name="intent" value="save" data-testid={`consent-save-${c.audience}`}>
                  {t("save")}
                </Button>
                {c.active ? (
                  <Button type="submit" name="intent" value="withdraw" variant="outline">
                    {t("withdraw")}
                  </Button>
                ) : null}
              </div>
            </form>
          ))}
        </section>

        <section aria-labelledby="entries-title" className="space-y-4">
          <h2 id="entries-title" className="text-std-24B-150">
            {t("entriesTitle")}
          </h2>
          <p className="text-std-16N-175">{t("entriesLead")}</p>
          {settings.entries.length === 0 ? (
            <p className="text-std-16N-175">{t("emptyEntries")}</p>
          ) : (
            <ul className="space-y-2" data-testid="self-entries">
              {settings.entries.map((e) => (
                <li key={e.id} className="flex flex-wrap items-center gap-3 rounded-8 bg-surface-muted p-3">
                  <span className="text-std-16B-170">{t(`kinds.${e.kind}`)}</span>
                  <bdi className="text-std-16N-175">{e.text}</bdi>
                  {e.detail ? <bdi className="text-std-16N-175">（{e.detail}）</bdi> : null}
                  <form action={removeSelfEntryAction} className="ml-auto">
                    <input type="hidden" name="entryId" value={e.id} />
                    <Button type="submit" size="sm" variant="outline">
                      {t("remove")}
                    </Button>
                  </form>
                </li>
              ))}
            </ul>
          )}
          <form action={addSelfEntryAction} className="grid gap-4 rounded-16 border-2 border-solid-gray-420 p-6">
            <div className="space-y-2">
              <Label htmlFor="entry-kind">{t("kind")}</Label>
              <select
                id="entry-kind"
                name="kind"
                className="block rounded-8 border-2 border-solid-gray-600 p-3 text-std-16N-175"
              >
                {ZSelfEntryKind.options.map((k) => (
                  <option key={k} value={k}>
                    {t(`kinds.${k}`)}
                  </option>
                ))}
              </select>
            </div>
            <div className="space-y-2">
              <Label htmlFor="entry-text">{t("text")}</Label>
              <SupportText id="entry-text-hint">{t("textHint")}</SupportText>
              <Input id="entry-text" name="text" required maxLength={100} aria-describedby="entry-text-hint" />
            </div>
            <div className="space-y-2">
              <Label htmlFor="entry-detail">{t("detail")}</Label>
              <SupportText id="entry-detail-hint">{t("detailHint")}</SupportText>
              <Input id="entry-detail" name="detail" maxLength={200} aria-describedby="entry-detail-hint" />
            </div>
            <div>
              <Button type="submit" data-testid="self-entry-add">
                {t("add")}
              </Button>
            </div>
          </form>
        </section>

        <section aria-labelledby="signed-title" className="space-y-3">
          <h2 id="signed-title" className="text-std-24B-150">
            {t("signedTitle")}
          </h2>
          <p className="text-std-16N-175">{t("signedLead")}</p>
          <LinkButton href="/mailbox?domain=health" variant="outline">
            {t("openMailbox")}
          </LinkButton>
        </section>

        <section aria-labelledby="break-glass-title" className="space-y-3">
          <h2 id="break-glass-title" className="text-std-24B-150">
            {t("breakGlassTitle")}
          </h2>
          {settings.breakGlass.length === 0 ? (
            <p className="text-std-16N-175">{t("breakGlassEmpty")}</p>
          ) : (
            <ul className="space-y-2" data-testid="break-glass-reads">
              {settings.breakGlass.map((b) => (
                <li key={b.id} className="rounded-8 border-2 border-warning p-3 text-std-16N-175">
                  <time dateTime={b.grantedAt}>{formatDateTime(b.grantedAt, locale)}</time>{" "}
                  <bdi>
                    {t("breakGlassLine", {
                      reader: locale === "en" ? b.readerEn : b.reader,
                      terminal: b.terminal,
                      reason: b.reason[locale],
                    })}
                  </bdi>
                </li>
              ))}
            </ul>
          )}
          <LinkButton href="/settings/access-log" variant="outline">
            {t("accessLog")}
          </LinkButton>
        </section>
      </div>
    </>
  );
}
