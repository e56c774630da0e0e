import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { LoginRequired } from "@/app/_components/login-required";
import { PageHeader } from "@/app/_components/page-header";
import { Breadcrumbs } from "@/app/_components/ui/breadcrumbs";
import { Card } from "@/app/_components/ui/card";
import { Notice } from "@/app/_components/ui/notice";
import { Table } from "@/app/_components/ui/table";
import { orRefusal, staffPage } from "@/app/_server/page-context";
import { currentRequestMetadata } from "@/app/_server/request-context";
import { getDb } from "@/lib/db/client";
import { formatDateTime } from "@/lib/i18n/dates";
import { getApplicationForReview } from "@/lib/services/applications/review-applications";
import { DecideFormClient } from "./decide-form-client";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("adminApplications"))("reviewTitle") };
}

/**
 * /admin/applications/[id] — one application as a reviewer sees it: the content, the
 * verification (signature, certificate status at submission, how the certificate is the
 * applicant's), the certificate's four facts against the registry with differences marked, and
 * approve / return. Opening it is a `staff.access` in the applicant's access log.
 */
export default async function AdminApplicationPage({ params }: { params: Promise<{ id: string }> }) {
  const { t, locale, staff } = await staffPage("adminApplications");
  if (!staff) return <LoginRequired kind="staff" />;
  const [a, refusal] = await orRefusal(
    getApplicationForReview(await getDb(), {
      staff: { staffId: staff.staffId, roles: staff.roles },
      applicationId: (await params).id,
      requestMetadata: await currentRequestMetadata(),
    }),
    ["NOT_FOUND", "FORBIDDEN"],
  );
  if (!a) {
    return (
      <Notice tone="error" title={t(refusal === "FORBIDDEN" ? "forbiddenTitle" : "notFound")} role="alert">
        <p>{t(refusal === "FORBIDDEN" ? "forbiddenBody" : "notFoundBody")}</p>
      </Notice>
    );
  }
  const v = a.verification;
  const form = a.content.form as Record<string, unknown>;
  const nameOf = (n: string) => a.people.find((p) => p.registryNumber === n)?.name || n;
  const rows: [string, string][] =
    a.content.kind === "move"
      ? [
          [t("newAddress"), String(form.newAddress)],
          [t("postalCode"), String(form.postalCode)],
          [t("districtCode"), String(form.districtCode)],
          [t("moveDate"), String(form.moveDate)],
          [t("movers"), (form.movers as string[]).map(nameOf).join("、")],
        ]
      : [
          [t("subject"), nameOf(String(form.subject))],
          [t("scope"), t(`scopeOf.${String(form.scope)}`)],
          [t("copies"), String(form.copies)],
          [t("purpose"), String(form.purpose)],
        ];
  const differs = a.facts.some((f) => f.differs);
  return (
    <>
      <Breadcrumbs
        aria-label={t("breadcrumbs")}
        items={[{ label: t("title"), href: "/admin/applications" }, { label: a.applicant.name }]}
      />
      <PageHeader title={`${t(`kind.${a.kind}`)} — ${a.applicant.name}`} />
      <div className="space-y-8" data-status={a.status} data-testid="application-review">
        <Card>
          <h2 className="text-std-20B-150">{t("contentTitle")}</h2>
          <dl className="mt-4 grid grid-cols-[auto_1fr] gap-x-6 gap-y-2">
            <dt className="text-std-16B-170">{t("colStatus")}</dt>
            <dd>
              {t(`status.${a.status}`)}
              {a.status === "approved" && !a.fulfilled ? `（${t("pendingShort")}）` : null}
            </dd>
            <dt className="text-std-16B-170">{t("colSubmitted")}</dt>
            <dd>
              {formatDateTime(a.submittedAt, locale)}
              {a.revision > 1 ? `（${t("revision", { revision: a.revision })}）` : null}
            </dd>
            {rows.map(([k, value]) => (
              <div key={k} className="contents">
                <dt className="text-std-16B-170">{k}</dt>
                <dd>
                  <bdi>{value}</bdi>
                </dd>
              </div>
            ))}
          </dl>
        </Card>
        <Card data-testid="verification">
          <h2 className="text-std-20B-150">{t("verificationTitle")}</h2>
          <dl className="mt-4 grid grid-cols-[auto_1fr] gap-x-6 gap-y-2">
            <dt className="text-std-16B-170">{t("signature")}</dt>
            <dd data-testid="signature-valid">{v.signatureValid ? t("valid") : t("invalid")}</dd>
            <dt className="text-std-16B-170">{t("certificateStatus")}</dt>
            <dd data-testid="certificate-status">
              {t(`revocation.${v.revocation.status === "good" ? "good" : "other"}`, { status: v.revocation.status })}（
              {formatDateTime(v.revocation.checkedAt, locale)}）
            </dd>
            <dt className="text-std-16B-170">{t("boundBy")}</dt>
            <dd>{t(`bound.${v.boundBy}`)}</dd>
            <dt className="text-std-16B-170">{t("signer")}</dt>
            <dd className="break-all">
              <bdi>{v.signer.issuerDn}</bdi> / {v.signer.serialNumber}
            </dd>
          </dl>
        </Card>
        <section aria-labelledby="facts-heading" className="space-y-4">
          <h2 id="facts-heading" className="text-std-20B-150">
            {t("factsTitle")}
          </h2>
          {differs ? (
            <Notice tone="warning" title={t("factsDifferTitle")}>
              <p>{t("factsDifferBody")}</p>
            </Notice>
          ) : null}
          <Table caption={t("factsCaption")} regionLabel={t("factsTitle")} data-testid="facts">
            <thead>
              <tr>
                <th scope="col">{t("fact")}</th>
                <th scope="col">{t("onCertificate")}</th>
                <th scope="col">{t("inRegistry")}</th>
              </tr>
            </thead>
            <tbody>
              {a.facts.map((f) => (
                <tr
                  key={f.field}
                  data-differs={f.differs}
                  className={f.differs ? "bg-warning-yellow-1-100 font-bold" : undefined}
                >
                  <th scope="row">
                    {t(`facts.${f.field}`)}
                    {f.differs ? `（${t("differs")}）` : null}
                  </th>
                  <td>
                    <bdi>{f.certificate}</bdi>
                  </td>
                  <td>
                    <bdi>{f.registry}</bdi>
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
          {a.people.some((p) => !p.inHousehold) ? (
            <Notice tone="error" title={t("peopleOutsideTitle")}>
              <p>{t("peopleOutsideBody")}</p>
            </Notice>
          ) : null}
        </section>
        {a.status === "submitted" || (a.status === "approved" && !a.fulfilled) ? (
          <Card>
            <h2 className="text-std-20B-150">{t("decideTitle")}</h2>
            <div className="mt-4">
              <DecideFormClient id={a.id} canReturn={a.status === "submitted"} />
            </div>
          </Card>
        ) : a.status === "approved" ? (
          <Notice tone="success" title={t("status.approved")} data-testid="decided">
            <p>{t(`approvedDone.${a.kind}`)}</p>
          </Notice>
        ) : a.status === "returned" ? (
          <Notice tone="info" title={t("status.returned")}>
            <p>
              <bdi>{a.returnReason}</bdi>
            </p>
          </Notice>
        ) : null}
      </div>
    </>
  );
}
