import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/app/_components/page-header";
import { StepUpNotice } from "@/app/_components/step-up-notice";
import { EmptyState } from "@/app/_components/ui/empty-state";
import { Table } from "@/app/_components/ui/table";
import { residentPage } from "@/app/_server/page-context";
import { getDb } from "@/lib/db/client";
import { familyStatus } from "@/lib/disaster/shelters/household";
import { formatDateTime } from "@/lib/i18n/dates";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("shelters"))("householdTitle") };
}

/**
 * /disaster/household — the family view in a disaster: the resident, her household and the
 * principals who gave her a proxy for the disaster domain, each with their safety reply and the
 * shelter they are checked in at. Others' status is their data: each view is in their access log.
 * Needs a recent card login (it shows where people are).
 */
export default async function HouseholdSafetyPage() {
  const { t, locale, resident, card, channel, requestMetadata } = await residentPage("shelters");
  const header = <PageHeader title={t("householdTitle")} lead={t("householdLead")} />;
  if (!card) {
    return (
      <>
        {header}
        <StepUpNotice next="/disaster/household" loggedIn={resident !== null} />
      </>
    );
  }
  const members = await familyStatus(
    { prisma: await getDb() },
    { residentId: card.residentId, channel, requestMetadata },
  );
  return (
    <>
      {header}
      {members.length <= 1 && members.every((m) => m.relation === "self") ? (
        <EmptyState title={t("householdEmpty")} />
      ) : null}
      <Table caption={t("householdCaption")} regionLabel={t("householdCaption")}>
        <thead>
          <tr>
            <th scope="col">{t("col.name")}</th>
            <th scope="col">{t("col.relation")}</th>
            <th scope="col">{t("col.safety")}</th>
            <th scope="col">{t("col.shelter")}</th>
          </tr>
        </thead>
        <tbody>
          {members.map((m) => (
            <tr key={m.residentId} data-member-relation={m.relation}>
              <th scope="row">
                <bdi>{m.name}</bdi>
              </th>
              <td>{t(`relation.${m.relation}`)}</td>
              <td data-testid="member-safety">
                {m.safety
                  ? t(`safety.${m.safety.status}`, { at: formatDateTime(m.safety.repliedAt, locale) })
                  : m.underOrder
                    ? t("safety.none")
                    : t("safety.noOrder")}
              </td>
              <td data-testid="member-shelter">
                {m.shelter ? (
                  <>
                    {t("checkedInAt", {
                      shelter: locale === "en" ? m.shelter.nameEn : m.shelter.name,
                      at: formatDateTime(m.shelter.checkedInAt, locale),
                    })}
                  </>
                ) : (
                  t("notCheckedIn")
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
    </>
  );
}
