import type { TTranslator } from "@/app/_server/page-context";
import { formatDateTime } from "@/lib/i18n/dates";
import type { TLocale } from "@/lib/i18n/locales";
import type { TDocumentDetail } from "@/lib/mailbox/get-document";

/**
 * A mailbox document on the TV: the same rendered fields as the web's document page
 * (TDocumentDetail.fields, in the resident's language), in 10-foot type.
 */
export function TvDocument({ t, locale, doc }: { t: TTranslator; locale: TLocale; doc: TDocumentDetail }) {
  return (
    <article className="space-y-8" data-document-id={doc.id}>
      <dl className="grid gap-x-10 gap-y-2 text-tv-body sm:grid-cols-[max-content_1fr]">
        <dt className="font-bold">{t("documentIssuer")}</dt>
        <dd>
          <bdi>{locale === "en" ? doc.issuer.nameEn : doc.issuer.name}</bdi>
        </dd>
        <dt className="font-bold">{t("documentReceived")}</dt>
        <dd>
          <time dateTime={doc.createdAt}>{formatDateTime(doc.createdAt, locale)}</time>
        </dd>
      </dl>
      <section aria-label={t("documentContents")}>
        <dl
          className="grid gap-x-10 gap-y-4 rounded-24 border-4 border-white p-8 text-tv-body sm:grid-cols-[max-content_1fr]"
          data-testid="tv-document-fields"
        >
          {doc.fields[locale].map((f, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rendered fields are a static list per document (labels repeat).
            <div key={`${f.label}-${i}`} className="contents">
              <dt className="font-bold">
                <bdi>{f.label}</bdi>
              </dt>
              <dd className="whitespace-pre-wrap break-words">
                <bdi>{f.value}</bdi>
              </dd>
            </div>
          ))}
        </dl>
      </section>
    </article>
  );
}
