import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { LoginRequired } from "@/app/_components/login-required";
import { PageHeader } from "@/app/_components/page-header";
import { Breadcrumbs } from "@/app/_components/ui/breadcrumbs";
import { Button } from "@/app/_components/ui/button";
import { EmptyState } from "@/app/_components/ui/empty-state";
import { Input } from "@/app/_components/ui/input";
import { Label } from "@/app/_components/ui/label";
import { Notice } from "@/app/_components/ui/notice";
import { SupportText } from "@/app/_components/ui/support-text";
import { Table } from "@/app/_components/ui/table";
import { orRefusal, staffPage } from "@/app/_server/page-context";
import { getDb } from "@/lib/db/client";
import { searchResidents } from "@/lib/services/residents/search-residents";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("admin"))("residentsTitle") };
}

type TProps = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : undefined);

/**
 * /admin/residents — staff search the registry (name in kanji or kana, registry number, district).
 * The list shows only what tells people apart; opening a record asks for a purpose first and is
 * written to that resident's access log (lib/services/residents/open-resident-record.ts).
 */
export default async function AdminResidentsPage({ searchParams }: TProps) {
  const { t, staff } = await staffPage("adminResidents");
  const tc = await getTranslations();
  const header = (
    <>
      <Breadcrumbs
        aria-label={tc("common.breadcrumbLabel")}
        items={[{ label: tc("admin.title"), href: "/admin" }, { label: tc("admin.residentsTitle") }]}
      />
      <PageHeader title={tc("admin.residentsTitle")} lead={tc("admin.residentsLead")} />
    </>
  );
  if (!staff) {
    return (
      <div className="space-y-6">
        {header}
        <LoginRequired kind="staff" />
      </div>
    );
  }
  const sp = await searchParams;
  const query = {
    name: one(sp.name)?.slice(0, 100) || undefined,
    registryNumber: one(sp.registryNumber)?.slice(0, 20) || undefined,
    districtCode: one(sp.districtCode)?.slice(0, 40) || undefined,
    includeLeft: one(sp.includeLeft) === "1" || undefined,
    page: Number(one(sp.page) ?? "1") || 1,
  };
  const asked = Boolean(query.name || query.registryNumber || query.districtCode);
  const prisma = await getDb();
  const districts = await prisma.district.findMany({ orderBy: { code: "asc" }, select: { code: true, name: true } });
  const [result, refusal] = asked
    ? await orRefusal(
        searchResidents(prisma, { staff: { staffId: staff.staffId, roles: staff.roles }, query }).catch((err) => {
          // A search box is not an API: NUL or a lone surrogate is just no match.
          if (err instanceof z.ZodError) return { items: [], page: 1, hasNext: false, total: 0 };
          throw err;
        }),
        ["FORBIDDEN", "VALIDATION_FAILED"],
      )
    : [null, null];
  const pageHref = (page: number) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...query, includeLeft: query.includeLeft ? "1" : undefined, page })) {
      if (v !== undefined && v !== "") p.set(k, String(v));
    }
    return `/admin/residents?${p.toString()}`;
  };
  return (
    <div className="space-y-6">
      {header}
      <div className="flex flex-wrap gap-4">
        <Link href="/admin/residents/move-in" className="underline">
          {t("moveIn.link")}
        </Link>
      </div>
      <search aria-label={t("searchTitle")}>
        <form method="get" action="/admin/residents" className="space-y-4" data-testid="resident-search">
          <h2 className="text-std-20B-150">{t("searchTitle")}</h2>
          <div className="grid gap-4 md:grid-cols-3">
            <div className="space-y-2">
              <Label htmlFor="search-name">{t("name")}</Label>
              <SupportText id="search-name-hint">{t("nameHint")}</SupportText>
              <Input
                id="search-name"
                name="name"
                maxLength={100}
                defaultValue={query.name ?? ""}
                aria-describedby="search-name-hint"
              />
            </div>
            <div className="space-y-2">
              <Label htmlFor="search-registry">{t("registryNumber")}</Label>
              <SupportText id="search-registry-hint">{t("registryNumberHint")}</SupportText>
              <Input
                id="search-registry"
                name="registryNumber"
                maxLength={20}
                inputMode="numeric"
                defaultValue={query.registryNumber ?? ""}
                aria-describedby="search-registry-hint"
              />
            </div>
            <div className="space-y-2">
              <Label htmlFor="search-district">{t("district")}</Label>
              <select
                id="search-district"
                name="districtCode"
                defaultValue={query.districtCode ?? ""}
                className="block w-full rounded-8 border border-solid-gray-600 p-3"
              >
                <option value="">{t("districtAny")}</option>
                {districts.map((d) => (
                  <option key={d.code} value={d.code}>
                    {d.name}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div className="flex items-center gap-2">
            <input
              id="search-left"
              type="checkbox"
              name="includeLeft"
              value="1"
              defaultChecked={query.includeLeft ?? false}
              className="size-5"
            />
            <label htmlFor="search-left">{t("includeLeft")}</label>
          </div>
          <Button type="submit" data-testid="resident-search-submit">
            {t("search")}
          </Button>
        </form>
      </search>
      {refusal === "FORBIDDEN" ? (
        <Notice tone="error" title={t("forbiddenTitle")} role="alert">
          <p>{t("forbiddenBody")}</p>
        </Notice>
      ) : !asked || refusal === "VALIDATION_FAILED" ? (
        <EmptyState title={t("askTitle")}>
          <p>{t("askBody")}</p>
        </EmptyState>
      ) : result && result.items.length === 0 ? (
        <EmptyState title={t("noResultsTitle")}>
          <p>{t("noResultsBody")}</p>
        </EmptyState>
      ) : result ? (
        <section aria-labelledby="results-heading" className="space-y-4">
          <h2 id="results-heading" className="text-std-20B-150">
            {t("resultsTitle", { total: result.total })}
          </h2>
          <Table caption={t("resultsCaption")} regionLabel={t("resultsRegion")} data-testid="resident-results">
            <thead>
              <tr>
                <th scope="col">{t("name")}</th>
                <th scope="col">{t("kana")}</th>
                <th scope="col">{t("registryNumber")}</th>
                <th scope="col">{t("birthYear")}</th>
                <th scope="col">{t("district")}</th>
              </tr>
            </thead>
            <tbody>
              {result.items.map((r) => (
                <tr key={r.id} data-resident-id={r.id} data-left={r.left}>
                  <th scope="row">
                    <Link href={`/admin/residents/${r.id}`} className="underline">
                      <bdi>{r.name}</bdi>
                    </Link>
                    {r.left ? `（${t("left")}）` : null}
                  </th>
                  <td>
                    <bdi>{r.nameKana}</bdi>
                  </td>
                  <td>{r.registryNumber}</td>
                  <td>{r.birthYear}</td>
                  <td>
                    <bdi>{r.districtName}</bdi>
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
          <nav aria-label={t("pagesLabel")} className="flex flex-wrap gap-4">
            {result.page > 1 ? (
              <Link href={pageHref(result.page - 1)} className="underline">
                {t("previous")}
              </Link>
            ) : null}
            {result.hasNext ? (
              <Link href={pageHref(result.page + 1)} className="underline">
                {t("next")}
              </Link>
            ) : null}
          </nav>
        </section>
      ) : null}
    </div>
  );
}
