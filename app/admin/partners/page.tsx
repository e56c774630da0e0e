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
import { PARTNER_KINDS, PARTNER_ONBOARDING_ROLES } from "@/lib/partners/onboard-partner";
import { ActionOriginsForm } from "./action-origins-form";
import { DecideForm } from "./decide-form";
import { PartnerStatusForm } from "./partner-status-form";
import { RegisterPartnerForm } from "./register-partner-form";

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
        registration: { select: { corporateNumber: true, certificateSerial: true, suspendedReason: true } },
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
  const o = (k: string, v?: Record<string, string>) => t(`adminPartnersOnboarding.${k}`, v);
  const onboards = staff.roles.some((r) => (PARTNER_ONBOARDING_ROLES as readonly string[]).includes(r));
  return (
    <div className="space-y-10">
      <div className="space-y-6">{header}</div>
      {onboards ? (
        <section aria-labelledby="register-partner" className="space-y-4">
          <h2 id="register-partner" className="text-std-20B-150">
            {o("title")}
          </h2>
          <p>{o("lead")}</p>
          <RegisterPartnerForm kinds={PARTNER_KINDS} />
        </section>
      ) : null}
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
                {onboards ? <th scope="col">{o("colStatus")}</th> : null}
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
                  <td>
                    {p.active ? a("active") : a("inactive")}
                    {!p.active && p.registration?.suspendedReason ? (
                      <>
                        {" "}
                        (<bdi>{p.registration.suspendedReason}</bdi>)
                      </>
                    ) : null}
                    {p.registration ? (
                      <span className="block text-std-16N-170">
                        {o("corporateNumberShort", { n: p.registration.corporateNumber })}
                        {p.registration.certificateSerial ? (
                          <span className="block">
                            {o("certificateShort", { serial: p.registration.certificateSerial })}
                          </span>
                        ) : null}
                      </span>
                    ) : null}
                  </td>
                  <td>
                    <ActionOriginsForm
                      partnerId={p.id}
                      partner={locale === "en" ? p.nameEn : p.name}
                      origins={p.actionOrigins}
                    />
                  </td>
                  {onboards ? (
                    <td>
                      <PartnerStatusForm
                        partnerId={p.id}
                        partner={locale === "en" ? p.nameEn : p.name}
                        active={p.active}
                      />
                    </td>
                  ) : null}
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
