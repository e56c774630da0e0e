import type { Metadata } from "next";
import { getLocale, getTranslations } from "next-intl/server";
import { OPERATIONS } from "@/app/_server/partner-api";
import { PageHeader } from "@/app/_components/page-header";
import { Table } from "@/app/_components/ui/table";
import { isLocale } from "@/lib/i18n/locales";
import { listDocumentTypes } from "@/lib/mailbox/document-types/registry";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("partner"))("apiDocsTitle") };
}

/**
 * The partner API reference, rendered from the same operation metadata and zod schemas as
 * /api/v1/openapi.json. Public: integrators read it before they hold credentials.
 */
export default async function PartnerApiDocsPage() {
  const [t, rawLocale] = [await getTranslations("partner"), await getLocale()];
  const locale = isLocale(rawLocale) ? rawLocale : "ja";
  return (
    <>
      <PageHeader title={t("apiDocsTitle")} lead={t("apiDocsLead")}>
        <p>
          <a href="/api/v1/openapi.json" className="text-primary underline">
            {t("apiDocsSpecLink")}
          </a>
        </p>
      </PageHeader>
      <div className="space-y-10 text-std-16N-170">
        <section className="space-y-2">
          <p>{t("apiDocsAuth")}</p>
          <p>{t("apiDocsSigning")}</p>
        </section>
        {OPERATIONS.map((op) => (
          <section key={op.operationId} aria-labelledby={`op-${op.operationId}`} className="space-y-3">
            <h2 id={`op-${op.operationId}`} className="text-std-24B-150">
              <code>
                {op.method.toUpperCase()} {op.path}
              </code>
            </h2>
            <p className="text-std-18B-160">{op.summary}</p>
            {op.description.split("\n\n").map((para) => (
              <p key={para}>{para}</p>
            ))}
            {op.scope ? (
              <p>
                {t("apiDocsScope")}: <code>{op.scope}</code>
              </p>
            ) : null}
            <h3 className="text-std-17B-170">{t("apiDocsErrors")}</h3>
            <ul className="flex flex-wrap gap-2">
              {op.errors.map((code) => (
                <li key={code}>
                  <code className="rounded-6 border border-line px-2 py-0.5">{code}</code>
                </li>
              ))}
            </ul>
            {op.requestExample ? (
              <>
                <h3 className="text-std-17B-170">{t("apiDocsExample")}</h3>
                <pre className="overflow-auto rounded-8 border border-line bg-surface-muted p-4 text-dns-16N-130">
                  {JSON.stringify(op.requestExample, null, 2)}
                </pre>
              </>
            ) : null}
          </section>
        ))}
        <section aria-labelledby="doc-types" className="space-y-3">
          <h2 id="doc-types" className="text-std-24B-150">
            {t("apiDocsTypes")}
          </h2>
          <Table caption={t("apiDocsTypes")} regionLabel={t("apiDocsTypes")}>
            <thead>
              <tr>
                <th scope="col">{t("apiDocsTypeId")}</th>
                <th scope="col">{t("apiDocsTitleCol")}</th>
                <th scope="col">{t("apiDocsDomain")}</th>
              </tr>
            </thead>
            <tbody>
              {listDocumentTypes().map((type) => (
                <tr key={type.id}>
                  <td>
                    <code>{type.id}</code>
                  </td>
                  <td>{type.title[locale]}</td>
                  <td>
                    <code>{type.domain}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
        </section>
      </div>
    </>
  );
}
