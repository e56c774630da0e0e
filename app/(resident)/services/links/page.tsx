import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/app/_components/page-header";
import { RevocableTableClient, type TRevocableLabels } from "@/app/_components/revocable-table-client";
import { StepUpNotice } from "@/app/_components/step-up-notice";
import { Card } from "@/app/_components/ui/card";
import { EmptyState } from "@/app/_components/ui/empty-state";
import { residentPage } from "@/app/_server/page-context";
import { getDb } from "@/lib/db/client";
import { formatDateBoth } from "@/lib/i18n/dates";
import { listResidentLinks } from "@/lib/links/resident-link-requests";
import { endLinkAction } from "./actions";
import { ClaimFormClient } from "./claim-form-client";
import { PendingRequestsClient } from "./pending-requests-client";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("links");
  return { title: t("title") };
}

/**
 * /services/links — member linking (紐付け): the partners' pending link requests (approve or
 * refuse), the link-code form, and the linked partners with what each may do and "end this link".
 * Approving needs a fresh card login, so the whole page asks for it (step-up).
 */
export default async function LinksPage() {
  const { t, locale, resident, card } = await residentPage("links");
  if (!card) {
    return (
      <>
        <PageHeader title={t("title")} lead={t("lead")} />
        <StepUpNotice next="/services/links" loggedIn={resident !== null} />
      </>
    );
  }
  const { pending, links } = await listResidentLinks(await getDb(), { residentId: card.residentId });
  const name = (p: { name: string; nameEn: string }) => (locale === "en" ? p.nameEn : p.name);
  const purpose = (p: string) => t(`purposes.${p}`);
  const errors = t.raw("errors") as Record<string, string>;
  const endLabels: TRevocableLabels = {
    revoke: t("end"),
    confirmTitle: t("confirmTitle"),
    confirm: t("confirm"),
    cancel: t("cancel"),
    done: t("done"),
    error: t.raw("endError") as string,
  };
  return (
    <>
      <PageHeader title={t("title")} lead={t("lead")} />
      <div className="space-y-10">
        <section aria-labelledby="links-pending" className="space-y-4">
          <h2 id="links-pending" className="text-std-20B-150">
            {t("pendingTitle")}
          </h2>
          {pending.length === 0 ? (
            <EmptyState headingLevel={3} title={t("pendingEmptyTitle")}>
              <p>{t("pendingEmptyBody")}</p>
            </EmptyState>
          ) : null}
          <PendingRequestsClient
            requests={pending.map((r) => ({
              id: r.id,
              partnerName: name(r.partner),
              purposeText: r.purposeText,
              allows: r.purposes.map(purpose),
              partnerRef: r.partnerRef,
              expires: formatDateBoth(r.expiresAt, locale),
              heading: t("requestHeading", { partner: name(r.partner) }),
              approveLabel: t("approveLabel", { partner: name(r.partner) }),
              refuseLabel: t("refuseLabel", { partner: name(r.partner) }),
              signatureRequired: r.signatureRequired,
            }))}
            labels={{
              purpose: t("requestPurpose"),
              allows: t("requestAllows"),
              reference: t("requestReference"),
              expires: t("requestExpires"),
              note: t("approveNote"),
              approve: t("approve"),
              signApprove: t("signApprove"),
              refuse: t("refuse"),
              approved: t("approved"),
              refused: t("refused"),
              errors,
              error: t.raw("decideError") as string,
            }}
          />
        </section>
        <section aria-labelledby="links-claim">
          <Card className="space-y-4">
            <h2 id="links-claim" className="text-std-20B-150">
              {t("claimTitle")}
            </h2>
            <p className="text-std-16N-175">{t("claimBody")}</p>
            <ClaimFormClient
              labels={{
                label: t("claimLabel"),
                hint: t("claimHint"),
                submit: t("claimSubmit"),
                claimed: t("claimed"),
                errors,
                error: t.raw("claimError") as string,
              }}
            />
          </Card>
        </section>
        <section aria-labelledby="links-linked" className="space-y-4">
          <h2 id="links-linked" className="text-std-20B-150">
            {t("linkedTitle")}
          </h2>
          <RevocableTableClient
            empty={{ title: t("linkedEmptyTitle"), body: t("linkedEmptyBody") }}
            testId="links-linked"
            caption={t("linkedTitle")}
            regionLabel={t("linkedRegion")}
            columns={[t("colPartner"), t("colReference"), t("colAllows"), t("colSince"), t("colAction")]}
            rows={links.map((l) => ({
              id: l.linkId,
              kind: "link",
              cells: [
                name(l.partner),
                l.partnerRef,
                l.purposes.map(purpose).join(locale === "en" ? "; " : "、"),
                formatDateBoth(l.linkedAt, locale),
              ],
              revokeLabel: t("endLabel", { name: name(l.partner) }),
              confirmText: t("confirmEnd", { name: name(l.partner) }),
              revocable: true,
            }))}
            labels={endLabels}
            action={endLinkAction}
          />
          <p>
            <Link href="/settings/access-log" className="underline underline-offset-4">
              {t("accessLogLink")}
            </Link>
          </p>
        </section>
      </div>
    </>
  );
}
