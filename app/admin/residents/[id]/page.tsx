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
import { PROTECTION_LIFT_ROLES } from "@/lib/protection/protection";
import { openResidentRecord } from "@/lib/services/residents/open-resident-record";
import { SUPERVISOR_ROLES } from "@/lib/services/residents/staff-roles";
import { PurposeForm } from "./purpose-form";
import {
  CardIssueFormClient,
  PinUnlockFormClient,
  ProtectionFormClient,
  RegistryEventFormClient,
} from "./record-forms-client";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("adminResidents"))("recordTitle") };
}

type TProps = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : undefined);

/**
 * /admin/residents/[id] — one resident's record. Without a stated purpose (the `purpose` query
 * of the purpose form) nothing is read and the form asks for one (STAFF_PURPOSE_REQUIRED). Each
 * view with a purpose is one `staff.access` in the resident's access log, with that purpose; the
 * purpose holds for this view only. From here staff record registry events and set or lift a
 * protection, issue a card (supervisors) and unlock a locked card PIN at J-LIS's counter terminal.
 */
export default async function AdminResidentPage({ params, searchParams }: TProps) {
  const { t, locale, staff } = await staffPage("adminResidents");
  const tc = await getTranslations();
  if (!staff) return <LoginRequired kind="staff" />;
  const id = (await params).id;
  const sp = await searchParams;
  const purposeInput = one(sp.purpose)
    ? { purpose: one(sp.purpose), ...(one(sp.purposeText) ? { purposeText: one(sp.purposeText) } : {}) }
    : undefined;
  const crumbs = (
    <Breadcrumbs
      aria-label={tc("common.breadcrumbLabel")}
      items={[
        { label: tc("admin.title"), href: "/admin" },
        { label: tc("admin.residentsTitle"), href: "/admin/residents" },
        { label: t("recordTitle") },
      ]}
    />
  );
  const [record, refusal] = await orRefusal(
    openResidentRecord(await getDb(), {
      staff: { staffId: staff.staffId, roles: staff.roles },
      residentId: id,
      purpose: purposeInput,
      requestMetadata: await currentRequestMetadata(),
    }),
    ["STAFF_PURPOSE_REQUIRED", "TEXT_CHARACTER_FORBIDDEN", "NOT_FOUND", "FORBIDDEN"],
  );
  if (!record) {
    if (refusal === "STAFF_PURPOSE_REQUIRED" || refusal === "TEXT_CHARACTER_FORBIDDEN") {
      return (
        <div className="space-y-6">
          {crumbs}
          <PageHeader title={t("purposeTitle")} lead={t("purposeLead")} />
          <PurposeForm
            residentId={id}
            error={purposeInput ? refusal : undefined}
            initial={{ purpose: one(sp.purpose), purposeText: one(sp.purposeText) }}
          />
        </div>
      );
    }
    return (
      <div className="space-y-6">
        {crumbs}
        <Notice tone="error" title={t(refusal === "FORBIDDEN" ? "forbiddenTitle" : "notFoundTitle")} role="alert">
          <p>{t(refusal === "FORBIDDEN" ? "forbiddenBody" : "notFoundBody")}</p>
        </Notice>
      </div>
    );
  }
  const name = `${record.familyName}\u3000${record.givenName}`;
  const rows: [string, string][] = [
    [t("registryNumber"), record.registryNumber],
    [t("kana"), `${record.familyNameKana}\u3000${record.givenNameKana}`],
    [t("dateOfBirth"), record.dateOfBirth],
    [t("gender"), t(`genders.${record.gender}`)],
    [t("address"), `〒${record.postalCode} ${record.address}`],
    [t("district"), record.district.name],
    [t("household"), `${record.household.code}（${record.household.relation}）`],
  ];
  const canDeath = staff.roles.some((r) => (SUPERVISOR_ROLES as readonly string[]).includes(r));
  const canLift = staff.roles.some((r) => (PROTECTION_LIFT_ROLES as readonly string[]).includes(r));
  return (
    <div className="space-y-8" data-testid="resident-record" data-resident-id={record.id}>
      {crumbs}
      <PageHeader title={name} />
      <Notice tone="info" title={t("purposeLogged")} data-testid="record-purpose">
        <p>
          <bdi>{record.purpose}</bdi>
        </p>
      </Notice>
      {record.protection ? (
        <Notice tone="warning" title={t("protectedTitle")} data-testid="protected">
          <p>
            {t("protectedBody", {
              kind: t(`protectionKinds.${record.protection.kind}`),
              since: formatDateTime(record.protection.setAt, locale),
            })}
          </p>
        </Notice>
      ) : null}
      {record.leftAt ? (
        <Notice tone="info" title={t("leftTitle")} data-testid="left">
          <p>{t("leftBody", { reason: record.leftReason ?? "—", at: formatDateTime(record.leftAt, locale) })}</p>
        </Notice>
      ) : null}
      <Card>
        <h2 className="text-std-20B-150">{t("factsTitle")}</h2>
        <dl className="mt-4 grid grid-cols-[auto_1fr] gap-x-6 gap-y-2" data-testid="record-facts">
          {rows.map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="text-std-16B-170">{k}</dt>
              <dd>
                <bdi>{v}</bdi>
              </dd>
            </div>
          ))}
        </dl>
      </Card>
      <section aria-labelledby="members-heading" className="space-y-4">
        <h2 id="members-heading" className="text-std-20B-150">
          {t("membersTitle")}
        </h2>
        {record.household.members.length === 0 ? (
          <p>{t("membersEmpty")}</p>
        ) : (
          <ul className="list-disc pl-6">
            {record.household.members.map((m) => (
              <li key={m.id}>
                <bdi>{m.name}</bdi>（{m.relation}
                {m.left ? `・${t("left")}` : ""}）
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="certs-heading" className="space-y-4">
        <h2 id="certs-heading" className="text-std-20B-150">
          {t("certificatesTitle")}
        </h2>
        {record.certificates.length === 0 ? (
          <p>{t("certificatesEmpty")}</p>
        ) : (
          <Table caption={t("certificatesCaption")} regionLabel={t("certificatesTitle")}>
            <thead>
              <tr>
                <th scope="col">{t("certKind")}</th>
                <th scope="col">{t("certSerial")}</th>
                <th scope="col">{t("certToken")}</th>
                <th scope="col">{t("certStatus")}</th>
                <th scope="col">{t("certNotAfter")}</th>
              </tr>
            </thead>
            <tbody>
              {record.certificates.map((c) => (
                <tr key={`${c.kind}-${c.serialNumber}`}>
                  <th scope="row">{t(`certKinds.${c.kind}`)}</th>
                  <td className="break-all">{c.serialNumber}</td>
                  <td>{c.tokenType}</td>
                  <td>{c.status}</td>
                  <td>{formatDateTime(c.notAfter, locale)}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </section>
      {record.leftAt ? null : (
        <Card>
          <h2 className="text-std-20B-150">{t("eventsTitle")}</h2>
          <p className="mt-2">{t("eventsLead")}</p>
          <div className="mt-4">
            <RegistryEventFormClient
              residentId={record.id}
              canDeath={canDeath}
              current={{
                familyName: record.familyName,
                givenName: record.givenName,
                familyNameKana: record.familyNameKana,
                givenNameKana: record.givenNameKana,
              }}
            />
          </div>
        </Card>
      )}
      {record.leftAt || !canDeath ? null : (
        <Card>
          <h2 className="text-std-20B-150">{t("cardIssue.title")}</h2>
          <p className="mt-2">{t("cardIssue.lead")}</p>
          <div className="mt-4">
            <CardIssueFormClient residentId={record.id} />
          </div>
        </Card>
      )}
      {record.leftAt ? null : (
        <Card>
          <h2 className="text-std-20B-150">{t("pinUnlock.title")}</h2>
          <p className="mt-2">{t("pinUnlock.lead")}</p>
          <div className="mt-4">
            <PinUnlockFormClient residentId={record.id} />
          </div>
        </Card>
      )}
      <Card>
        <h2 className="text-std-20B-150">{t("protectionTitle")}</h2>
        <p className="mt-2">{t("protectionLead")}</p>
        <div className="mt-4">
          <ProtectionFormClient residentId={record.id} protectedNow={record.protection !== null} canLift={canLift} />
        </div>
      </Card>
    </div>
  );
}
