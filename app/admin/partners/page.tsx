import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { LoginRequired } from "@/app/_components/login-required";
import { PageHeader } from "@/app/_components/page-header";
import { Breadcrumbs } from "@/app/_components/ui/breadcrumbs";
import { EmptyState } from "@/app/_components/ui/empty-state";
import { Table } from "@/app/_components/ui/table";
import { staffPage } from "@/app/_server/page-context";
import { getDb } from "@/lib/db/client";
import { formatDateTime } from "@/lib/i18n/dates";
import { listScopeRequests } from "@/lib/partners/scope-requests";
import { ActionOriginsForm } from "./action-origins-form";
import { DecideForm } from "./decide-form";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("admin"))("partnersTitle") };
}

/** /admin/partners: partners, their approved scopes, and scope requests for staff to decide. */
export default async function AdminPartnersPage() {
  const { t, locale, staff } = await staffPage();
  const header = (
    <>
      <Breadcrumbs
        aria-label={t("common.breadcrumbLabel")}
        items={[{ label: t("admin.title"), href: "/admin" }, { label: t("admin.partnersTitle") }]}
      />
      <PageHeader title={t("admin.partnersTitle")} lead={t("admin.partnersLead")} />
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
  const prisma = await getDb();
  const now = new Date();
  const [pending, decided, partners] = await Promise.all([
    listScopeRequests(prisma, { status: "PENDING", limit: 200 }),
    listScopeRequests(prisma, { limit: 80 }).then((rs) => rs.filter((r) => r.status !== "PENDING").slice(0, 50)),
    prisma.partner.findMany({
      orderBy: { slug: "asc" },
      select: {
        id: true,
        name: true,
        nameEn: true,
        kind: true,
        approvedScopes: true,
        actionOrigins: true,
        active: true,
        _count: {
          select: {
            credentials: { where: { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] } },
          },
        },
      },
    }),
  ]);
  const name = (p: { partnerName: string; partnerNameEn: string }) =>
    locale === "en" ? p.partnerNameEn : p.partnerName;
  const a = (k: string) => t(`adminPartners.${k}`);
  return (
    <div className="space-y-10">
      <div className="space-y-6">{header}</div>
      <section aria-labelledby="pending-requests" className="space-y-4">
        <h2 id="pending-requests" className="text-std-20B-150">
          {a("pendingTitle")}
        </h2>
        <p>{a("deciderOnly")}</p>
        {pending.length === 0 ? (
          <EmptyState headingLevel={3} title={a("pendingEmpty")} />
        ) : (
          <Table caption={a("pendingCaption")} regionLabel={a("pendingRegion")} data-testid="pending-scope-requests">
            <thead>
              <tr>
                <th scope="col">{a("colPartner")}</th>
                <th scope="col">{a("colScopes")}</th>
                <th scope="col">{a("colReason")}</th>
                <th scope="col">{a("colRequested")}</th>
                <th scope="col">{a("colDecide")}</th>
              </tr>
            </thead>
            <tbody>
              {pending.map((r) => (
                <tr key={r.id} data-request-id={r.id} data-partner-slug={r.partnerSlug}>
                  <th scope="row" className="font-normal">
                    {name(r)}
                  </th>
                  <td>
                    {r.scopes.map((s) => (
                      <code key={s} className="mr-1 inline-block">
                        {s}
                      </code>
                    ))}
                  </td>
                  <td>{r.reason}</td>
                  <td>{formatDateTime(r.createdAt, locale)}</td>
                  <td>
                    <DecideForm id={r.id} partner={name(r)} />
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </section>

      <section aria-labelledby="partner-list" className="space-y-4">
        <h2 id="partner-list" className="text-std-20B-150">
          {a("partnersCaption")}
        </h2>
        {partners.length === 0 ? (
          <EmptyState headingLevel={3} title={t("admin.partnersEmpty")} />
        ) : (
          <Table caption={a("partnersCaption")} regionLabel={a("partnersRegion")} data-testid="partners-table">
            <thead>
              <tr>
                <th scope="col">{a("colPartner")}</th>
                <th scope="col">{a("colKind")}</th>
                <th scope="col">{a("colApproved")}</th>
                <th scope="col">{a("colCredentials")}</th>
                <th scope="col">{a("colActive")}</th>
                <th scope="col">{a("colActionOrigins")}</th>
              </tr>
            </thead>
            <tbody>
              {partners.map((p) => (
                <tr key={p.id} data-partner-id={p.id}>
                  <th scope="row" className="font-normal">
                    {locale === "en" ? p.nameEn : p.name}
                  </th>
                  <td>
                    <code>{p.kind}</code>
                  </td>
                  <td data-testid="approved-scopes">
                    {p.approvedScopes.map((s) => (
                      <code key={s} className="mr-1 inline-block">
                        {s}
                      </code>
                    ))}
                  </td>
                  <td>{p._count.credentials}</td>
                  <td>{p.active ? a("active") : a("inactive")}</td>
                  <td>
                    <ActionOriginsForm
                      partnerId={p.id}
                      partner={locale === "en" ? p.nameEn : p.name}
                      origins={p.actionOrigins}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </section>

      {decided.length > 0 ? (
        <section aria-labelledby="decided-requests" className="space-y-4">
          <h2 id="decided-requests" className="text-std-20B-150">
            {a("historyTitle")}
          </h2>
          <Table caption={a("historyCaption")} regionLabel={a("historyRegion")}>
            <thead>
              <tr>
                <th scope="col">{a("colPartner")}</th>
                <th scope="col">{a("colScopes")}</th>
                <th scope="col">{a("colDecision")}</th>
                <th scope="col">{a("colDecidedAt")}</th>
              </tr>
            </thead>
            <tbody>
              {decided.map((r) => (
                <tr key={r.id} data-request-id={r.id}>
                  <th scope="row" className="font-normal">
                    {name(r)}
                  </th>
                  <td>{r.scopes.join(", ")}</td>
                  <td>
                    {a(r.status)}
                    {r.decisionNote ? `（${r.decisionNote}）` : ""}
                  </td>
                  <td>{r.decidedAt ? formatDateTime(r.decidedAt, locale) : ""}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        </section>
      ) : null}
    </div>
  );
}
