import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { LoginRequired } from "@/app/_components/login-required";
import { PageHeader } from "@/app/_components/page-header";
import { Breadcrumbs } from "@/app/_components/ui/breadcrumbs";
import { Card } from "@/app/_components/ui/card";
import { EmptyState } from "@/app/_components/ui/empty-state";
import { Notice } from "@/app/_components/ui/notice";
import { Table } from "@/app/_components/ui/table";
import { oidcIssuer } from "@/app/_server/oidc";
import { staffPage } from "@/app/_server/page-context";
import { getDb } from "@/lib/db/client";
import { OIDC_CLAIMS } from "@/lib/oidc/claims";
import { listOidcClients } from "@/lib/oidc/clients";
import { CreateOidcClientForm, DisableOidcClientForm, RotateSigningKeyForm } from "./oidc-client-forms";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("sso"))("admin.title") };
}

/** /admin/oidc-clients: the relying parties of single sign-on (ADMIN only) and the signing key. */
export default async function AdminOidcClientsPage() {
  const { t, locale, staff } = await staffPage();
  const a = (k: string, v?: Record<string, string>) => t(`sso.admin.${k}`, v);
  const header = (
    <>
      <Breadcrumbs
        aria-label={t("common.breadcrumbLabel")}
        items={[{ label: t("admin.title"), href: "/admin" }, { label: a("title") }]}
      />
      <PageHeader title={a("title")} lead={a("lead")} />
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
  if (!staff.roles.includes("ADMIN")) {
    return (
      <div className="space-y-6">
        {header}
        <Notice tone="warning" title={a("forbidden")}>
          <p>{a("lead")}</p>
        </Notice>
      </div>
    );
  }
  const clients = await listOidcClients(await getDb());
  const claimLabel = (c: string) => t(`sso.claims.${c}`);
  const name = (c: { name: string; nameEn: string }) => (locale === "en" ? c.nameEn : c.name);
  return (
    <div className="space-y-10">
      <div className="space-y-6">{header}</div>
      <p>
        {a("issuer")}: <code>{oidcIssuer()}</code>
      </p>
      <section aria-labelledby="oidc-clients" className="space-y-4">
        <h2 id="oidc-clients" className="text-std-20B-150">
          {a("listCaption")}
        </h2>
        {clients.length === 0 ? (
          <EmptyState headingLevel={3} title={a("empty")} />
        ) : (
          <Table caption={a("listCaption")} regionLabel={a("listRegion")} data-testid="oidc-clients">
            <thead>
              <tr>
                <th scope="col">{a("colId")}</th>
                <th scope="col">{a("colName")}</th>
                <th scope="col">{a("colScopes")}</th>
                <th scope="col">{a("colRedirect")}</th>
                <th scope="col">{a("colStatus")}</th>
                <th scope="col">{a("colAction")}</th>
              </tr>
            </thead>
            <tbody>
              {clients.map((c) => (
                <tr key={c.id} data-client-id={c.id}>
                  <th scope="row">
                    <code>{c.id}</code>
                  </th>
                  <td>
                    <bdi>{name(c)}</bdi>
                  </td>
                  <td>{c.allowedScopes.map(claimLabel).join("、")}</td>
                  <td>
                    {c.redirectUris.map((u) => (
                      <code key={u} className="block break-all">
                        {u}
                      </code>
                    ))}
                  </td>
                  <td>{c.disabledAt ? a("disabled") : a("active")}</td>
                  <td>{c.disabledAt ? "—" : <DisableOidcClientForm id={c.id} name={name(c)} />}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </section>
      <Card className="space-y-4">
        <h2 className="text-std-20B-150">{a("createTitle")}</h2>
        <CreateOidcClientForm claims={OIDC_CLAIMS.map((c) => ({ value: c, label: claimLabel(c) }))} />
      </Card>
      <Card className="space-y-4">
        <h2 className="text-std-20B-150">{a("rotateTitle")}</h2>
        <p>{a("rotateBody")}</p>
        <RotateSigningKeyForm />
      </Card>
    </div>
  );
}
