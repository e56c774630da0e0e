import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/app/_components/page-header";
import { Breadcrumbs } from "@/app/_components/ui/breadcrumbs";
import { Table } from "@/app/_components/ui/table";
import { errorCatalogue } from "@/lib/errors/catalogue";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("errorCatalogue"))("title") };
}

/**
 * /docs/errors: every stable error code with its HTTP status and meaning. Each error body's
 * `docUrl` (`/docs/errors#CODE`) lands on the code's row. Public, no login.
 */
export default async function ErrorCataloguePage() {
  const t = await getTranslations();
  const entries = errorCatalogue();
  return (
    <div className="space-y-8">
      <Breadcrumbs
        aria-label={t("common.breadcrumbLabel")}
        items={[{ label: t("common.home"), href: "/" }, { label: t("errorCatalogue.title") }]}
      />
      <PageHeader title={t("errorCatalogue.title")} lead={t("errorCatalogue.lead", { count: entries.length })} />
      <Table caption={t("errorCatalogue.caption")} regionLabel={t("errorCatalogue.caption")}>
        <thead>
          <tr>
            <th scope="col">{t("errorCatalogue.code")}</th>
            <th scope="col">{t("errorCatalogue.status")}</th>
            <th scope="col">{t("errorCatalogue.meaning")}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.code} id={e.code}>
              <th scope="row" className="font-mono">
                <a href={`#${e.code}`} className="underline">
                  {e.code}
                </a>
              </th>
              <td>{e.status}</td>
              <td lang="en">{e.message}</td>
            </tr>
          ))}
        </tbody>
      </Table>
    </div>
  );
}
