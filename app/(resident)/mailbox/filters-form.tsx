import { getTranslations } from "next-intl/server";
import { Button } from "@/app/_components/ui/button";
import { Input } from "@/app/_components/ui/input";
import { Label } from "@/app/_components/ui/label";
import { LinkButton } from "@/app/_components/ui/link-button";
import { SupportText } from "@/app/_components/ui/support-text";
import type { TLocale } from "@/lib/i18n/locales";
import { ZDocumentDomain } from "@/lib/mailbox/document-types/define-document-type";
import { listDocumentTypes } from "@/lib/mailbox/document-types/registry";

const selectClass =
  "h-14 w-full max-w-full rounded-8 border border-line-strong bg-white px-4 text-std-16N-170 text-ink hover:border-ink";

/** The inbox filters: a plain GET form, so it works without JavaScript and the URL is shareable. */
export async function FiltersForm({
  raw,
  issuers,
  locale,
}: {
  raw: Record<string, string>;
  issuers: { id: string; name: string; nameEn: string }[];
  locale: TLocale;
}) {
  const t = await getTranslations("mailbox");
  return (
    <search aria-labelledby="mailbox-filters-title">
      <form method="get" action="/mailbox" className="space-y-4">
        <h2 id="mailbox-filters-title" className="text-std-20B-150">
          {t("filtersTitle")}
        </h2>
        <div className="space-y-2">
          <Label htmlFor="mailbox-q">{t("searchLabel")}</Label>
          <SupportText id="mailbox-q-hint">{t("searchHint")}</SupportText>
          <Input id="mailbox-q" name="q" type="search" defaultValue={raw.q ?? ""} aria-describedby="mailbox-q-hint" />
        </div>
        <div className="grid gap-4 sm:grid-cols-3">
          <div className="space-y-2">
            <Label htmlFor="mailbox-type">{t("typeLabel")}</Label>
            <select id="mailbox-type" name="type" defaultValue={raw.type ?? ""} className={selectClass}>
              <option value="">{t("any")}</option>
              {listDocumentTypes().map((type) => (
                <option key={type.id} value={type.id}>
                  {type.title[locale]}
                </option>
              ))}
            </select>
          </div>
          <div className="space-y-2">
            <Label htmlFor="mailbox-domain">{t("domainLabel")}</Label>
            <select id="mailbox-domain" name="domain" defaultValue={raw.domain ?? ""} className={selectClass}>
              <option value="">{t("any")}</option>
              {ZDocumentDomain.options.map((d) => (
                <option key={d} value={d}>
                  {t(`domains.${d}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="space-y-2">
            <Label htmlFor="mailbox-issuer">{t("issuerLabel")}</Label>
            <select id="mailbox-issuer" name="issuer" defaultValue={raw.issuer ?? ""} className={selectClass}>
              <option value="">{t("any")}</option>
              {issuers.map((i) => (
                <option key={i.id} value={i.id}>
                  {locale === "en" ? i.nameEn : i.name}
                </option>
              ))}
            </select>
          </div>
          <div className="space-y-2">
            <Label htmlFor="mailbox-from">{t("fromLabel")}</Label>
            <Input id="mailbox-from" name="from" type="date" defaultValue={raw.from ?? ""} />
          </div>
          <div className="space-y-2">
            <Label htmlFor="mailbox-to">{t("toLabel")}</Label>
            <Input id="mailbox-to" name="to" type="date" defaultValue={raw.to ?? ""} />
          </div>
          <div className="space-y-2 self-end">
            <label className="flex items-center gap-2 text-std-16N-170">
              <input type="checkbox" name="unread" value="1" defaultChecked={raw.unread === "1"} className="size-6" />
              {t("unreadOnlyLabel")}
            </label>
            <label className="flex items-center gap-2 text-std-16N-170">
              <input
                type="checkbox"
                name="archived"
                value="1"
                defaultChecked={raw.archived === "1"}
                className="size-6"
              />
              {t("archivedLabel")}
            </label>
          </div>
        </div>
        <div className="flex flex-wrap gap-4">
          <Button type="submit">{t("apply")}</Button>
          <LinkButton href="/mailbox" variant="outline">
            {t("reset")}
          </LinkButton>
        </div>
      </form>
    </search>
  );
}
