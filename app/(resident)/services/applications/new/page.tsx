import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/app/_components/page-header";
import { StepUpNotice } from "@/app/_components/step-up-notice";
import { Breadcrumbs } from "@/app/_components/ui/breadcrumbs";
import { Notice } from "@/app/_components/ui/notice";
import { orRefusal, residentPage } from "@/app/_server/page-context";
import { getDb } from "@/lib/db/client";
import { getApplicationFormData } from "@/lib/services/applications/form-data";
import { ApplicationFormClient } from "./application-form-client";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("applications"))("newTitle") };
}

type TSearch = { kind?: string; correct?: string };

/** /services/applications/new?kind=move|residence-certificate[&correct=<id>] — fill in, review, sign with the card. */
export default async function NewApplicationPage({ searchParams }: { searchParams: Promise<TSearch> }) {
  const { t, resident, card } = await residentPage("applications");
  const search = await searchParams;
  const kind = search.kind === "residence-certificate" ? "residence-certificate" : "move";
  const title = t(`kind.${kind}`);
  if (!card) {
    return (
      <>
        <PageHeader title={title} />
        <StepUpNotice next={`/services/applications/new?kind=${kind}`} loggedIn={resident !== null} />
      </>
    );
  }
  const [data, refusal] = await orRefusal(
    getApplicationFormData(await getDb(), { residentId: card.residentId, correct: search.correct }),
    ["NOT_FOUND", "APPLICATION_NOT_RETURNED"],
  );
  const townPrefix = data ? townPartOf(data.currentAddress, data.districts) : "";
  return (
    <>
      <Breadcrumbs
        aria-label={t("breadcrumbs")}
        items={[{ label: t("title"), href: "/services/applications" }, { label: title }]}
      />
      <PageHeader title={data?.correcting ? t("correctTitle", { kind: title }) : title} lead={t(`lead_${kind}`)} />
      {refusal || !data ? (
        <Notice tone="error" title={t("cannotCorrect")} role="alert" data-error-code={refusal ?? "NOT_FOUND"}>
          <p>{t(`errors.${refusal ?? "NOT_FOUND"}`)}</p>
        </Notice>
      ) : (
        <>
          {data.correcting?.returnReason ? (
            <Notice tone="warning" title={t("returnReason")} className="mb-6">
              <p>
                <bdi>{data.correcting.returnReason}</bdi>
              </p>
            </Notice>
          ) : null}
          <ApplicationFormClient
            kind={kind}
            applicationId={data.correcting?.id}
            household={data.household}
            districts={data.districts}
            initial={data.correcting?.content.kind === kind ? data.correcting.content.form : undefined}
            townPrefix={townPrefix}
            facts={data.facts}
          />
        </>
      )}
    </>
  );
}

/** 徳島県一枚町 of 徳島県一枚町中央一丁目…: the address up to the first district name it contains. */
function townPartOf(address: string, districts: { name: string }[]): string {
  const at = Math.min(...districts.map((d) => address.indexOf(d.name)).filter((i) => i > 0));
  return Number.isFinite(at) ? address.slice(0, at) : "";
}
