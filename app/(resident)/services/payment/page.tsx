import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/app/_components/page-header";
import { StepUpNotice } from "@/app/_components/step-up-notice";
import { Button } from "@/app/_components/ui/button";
import { Card } from "@/app/_components/ui/card";
import { EmptyState } from "@/app/_components/ui/empty-state";
import { Notice } from "@/app/_components/ui/notice";
import { residentPage } from "@/app/_server/page-context";
import { getDb } from "@/lib/db/client";
import { formatDateBoth } from "@/lib/i18n/dates";
import { viewPaymentMethod } from "@/lib/services/payment/payment-methods";
import { linkPaymentMethodAction, unlinkPaymentMethodAction } from "./actions";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("payment");
  return { title: t("title") };
}

const DONE = ["linked", "unlinked", "cancelled"] as const;
const ERRORS = ["PAYMENT_LINK_INVALID", "PAYMENT_UNAVAILABLE", "NOT_FOUND"] as const;

/**
 * /services/payment — the resident's payment method for 会計 (hospital copays): linked at the
 * payment processor (its own page holds the card number), shown as brand, last 4 and expiry,
 * unlinkable. Personal data: card step-up.
 */
export default async function PaymentPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const { t, locale, resident, card } = await residentPage("payment");
  if (!card) {
    return (
      <>
        <PageHeader title={t("title")} lead={t("lead")} />
        <StepUpNotice next="/services/payment" loggedIn={resident !== null} />
      </>
    );
  }
  const query = await searchParams;
  const done = DONE.find((d) => d === query.done);
  const error = ERRORS.find((e) => e === query.error);
  const method = await viewPaymentMethod(await getDb(), card.residentId);
  return (
    <>
      <PageHeader title={t("title")} lead={t("lead")} />
      <div className="space-y-8">
        {done ? (
          <Notice tone={done === "cancelled" ? "info" : "success"} title={t(`done_${done}`)} role="alert" />
        ) : null}
        {error ? (
          <Notice tone="error" title={t("errorTitle")} role="alert">
            <p>{t(`error_${error}`)}</p>
          </Notice>
        ) : null}
        {method ? (
          <Card data-testid="payment-method" className="space-y-3">
            <h2 className="text-std-20B-150">{t("linkedTitle")}</h2>
            <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-2">
              <dt>{t("brand")}</dt>
              <dd>
                <bdi>{method.brand.toUpperCase()}</bdi>
              </dd>
              <dt>{t("number")}</dt>
              <dd>
                <bdi data-testid="payment-last4">•••• {method.last4}</bdi>
              </dd>
              <dt>{t("expiry")}</dt>
              <dd>
                {String(method.expMonth).padStart(2, "0")}/{method.expYear}
              </dd>
              <dt>{t("processor")}</dt>
              <dd>
                <bdi>{locale === "en" ? method.processor.nameEn : method.processor.name}</bdi>
              </dd>
              <dt>{t("since")}</dt>
              <dd>{formatDateBoth(method.linkedAt, locale)}</dd>
            </dl>
            <div className="flex flex-wrap gap-4 pt-2">
              <form action={linkPaymentMethodAction}>
                <Button type="submit" variant="outline">
                  {t("replace")}
                </Button>
              </form>
              <form action={unlinkPaymentMethodAction}>
                <Button type="submit" variant="text">
                  {t("unlink")}
                </Button>
              </form>
            </div>
          </Card>
        ) : (
          <EmptyState title={t("emptyTitle")}>
            <p>{t("emptyBody")}</p>
            <form action={linkPaymentMethodAction} className="mt-4">
              <Button type="submit">{t("link")}</Button>
            </form>
          </EmptyState>
        )}
        <p className="text-std-16N-170">{t("privacy")}</p>
      </div>
    </>
  );
}
