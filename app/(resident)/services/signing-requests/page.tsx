import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/app/_components/page-header";
import { StepUpNotice } from "@/app/_components/step-up-notice";
import { EmptyState } from "@/app/_components/ui/empty-state";
import { Table } from "@/app/_components/ui/table";
import { residentPage } from "@/app/_server/page-context";
import { getDb } from "@/lib/db/client";
import { formatDateTime } from "@/lib/i18n/dates";
import { listMyPendingSigningRequests } from "@/lib/services/signing-requests/resident-signing-requests";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("signingRequests"))("title") };
}

/**
 * /services/signing-requests — what linked partners ask the resident to sign with the card
 * (partner, document, expiry), each opened to read the full text and sign or decline. Card login
 * required: signing needs the card.
 */
export default async function SigningRequestsPage() {
  const { t, locale, resident, card } = await residentPage("signingRequests");
  if (!card) {
    return (
      <>
        <PageHeader title={t("title")} lead={t("lead")} />
        <StepUpNotice next="/services/signing-requests" loggedIn={resident !== null} />
      </>
    );
  }
  const pending = await listMyPendingSigningRequests(await getDb(), { residentId: card.residentId });
  return (
    <>
      <PageHeader title={t("title")} lead={t("lead")} />
      {pending.length === 0 ? (
        <EmptyState title={t("emptyTitle")}>
          <p>{t("emptyBody")}</p>
        </EmptyState>
      ) : (
        <Table caption={t("pendingCaption")} regionLabel={t("pendingRegion")} data-testid="signing-requests">
          <thead>
            <tr>
              <th scope="col">{t("colPartner")}</th>
              <th scope="col">{t("colTitle")}</th>
              <th scope="col">{t("colExpires")}</th>
              <th scope="col">{t("colAction")}</th>
            </tr>
          </thead>
          <tbody>
            {pending.map((r) => (
              <tr key={r.id} data-signing-request-id={r.id}>
                <td>
                  <bdi>{r.partnerName}</bdi>
                </td>
                <th scope="row">
                  <bdi>{r.title}</bdi>
                </th>
                <td>{formatDateTime(r.expiresAt, locale)}</td>
                <td>
                  <Link
                    href={`/services/signing-requests/${r.id}`}
                    className="underline"
                    aria-label={t("openLabel", { title: r.title })}
                  >
                    {t("open")}
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </>
  );
}
