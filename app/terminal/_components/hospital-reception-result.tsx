"use client";

import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import type { TReceptionAnswerDto } from "@/lib/services/hospital/schemas";

export type THospitalReceptionResultProps = {
  answer: TReceptionAnswerDto;
  partnerName: string;
  terminalLabel: string;
  /** The screen's focused heading (the tap client's). */
  heading: (text: string) => ReactNode;
  back: ReactNode;
  frame: string;
  /** Offered when the card's holder is not yet this hospital's patient: link on first tap. */
  linkNow?: ReactNode;
};

/**
 * The hospital kiosk's reception answer (受付): the insurer's answer named in full when eligible
 * (insurer, 保険者番号, 記号・番号, period, copay ratio); 資格喪失 refused clearly; 確認できません
 * (INSURANCE_UNKNOWN) with its reason — never shown as eligible. `data-insurance` and
 * `data-error-code` are stable hooks for e2e.
 */
export function HospitalReceptionResult({
  answer,
  partnerName,
  terminalLabel,
  heading,
  back,
  frame,
  linkNow,
}: THospitalReceptionResultProps) {
  const t = useTranslations("hospitalReception");
  const tap = useTranslations("terminalTap");
  const insurance = answer.insurance;
  const ok = answer.result === "received" && insurance?.status === "eligible";
  const code =
    answer.result !== "received"
      ? answer.result
      : insurance && insurance.status !== "eligible"
        ? insurance.code
        : undefined;
  let title: string;
  let body: string;
  if (answer.result === "CARD_UNKNOWN") {
    title = tap("error.CARD_UNKNOWN.title");
    body = tap("error.CARD_UNKNOWN.body");
  } else if (answer.result === "RECIPIENT_NOT_LINKED") {
    title = t("notPatientTitle");
    body = t("notPatientBody");
  } else if (insurance?.status === "eligible") {
    title = t("eligibleTitle");
    body = t("eligibleBody");
  } else if (insurance?.status === "lapsed") {
    title = t("lapsedTitle");
    body = t("lapsedBody");
  } else {
    title = t("unknownTitle");
    body = t(`unknownBody.${insurance?.status === "unknown" ? insurance.reason : "MEMBER_NOT_FOUND"}`);
  }
  const row = (label: string, value: ReactNode, testId?: string) => (
    <>
      <dt className="font-bold">{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </>
  );
  return (
    <section
      data-tap-state="result"
      data-eligible={ok ? "true" : "false"}
      data-insurance={insurance?.status}
      data-error-code={code}
      className={`${frame} ${ok ? "border-success" : "border-error"}`}
    >
      <div role={ok ? "status" : "alert"} className="space-y-6">
        {heading(title)}
        <p className="text-std-24N-150">{body}</p>
      </div>
      <dl className="grid gap-x-6 gap-y-2 text-left text-std-20N-150 sm:grid-cols-[auto_1fr]">
        {answer.patient
          ? row(t("patientLabel"), <bdi className="font-mono">{answer.patient.reference}</bdi>, "tap-member-reference")
          : null}
        {insurance && insurance.status !== "unknown"
          ? row(t("insurerLabel"), <bdi>{insurance.insurer.name}</bdi>, "insurer-name")
          : null}
        {insurance?.status === "unknown" && insurance.insurer
          ? row(t("insurerLabel"), <bdi>{insurance.insurer.name}</bdi>, "insurer-name")
          : null}
        {insurance && insurance.status !== "unknown"
          ? row(t("insurerNumberLabel"), <span className="font-mono">{insurance.insurerNumber}</span>, "insurer-number")
          : null}
        {insurance?.status === "eligible" ? (
          <>
            {row(
              t("symbolNumberLabel"),
              <span className="font-mono text-std-28B-150">
                {t("symbolNumber", { symbol: insurance.symbol, number: insurance.number })}
                {insurance.branch ? t("branch", { branch: insurance.branch }) : null}
              </span>,
              "insurance-symbol-number",
            )}
            {row(t("copayLabel"), t("copay", { ratio: insurance.copayRatio }), "insurance-copay")}
          </>
        ) : null}
        {insurance && insurance.status !== "unknown"
          ? row(
              t("periodLabel"),
              insurance.validUntil
                ? t("period", { from: insurance.validFrom, until: insurance.validUntil })
                : t("periodOpen", { from: insurance.validFrom }),
              "insurance-period",
            )
          : null}
        {insurance && insurance.status !== "unknown"
          ? row(
              t("confirmedAtLabel"),
              <time dateTime={insurance.confirmedAt}>{new Date(insurance.confirmedAt).toLocaleString()}</time>,
            )
          : null}
        {row(tap("partnerLabel"), partnerName)}
        {row(tap("terminalLabel"), terminalLabel)}
        {row(
          tap("checkedAtLabel"),
          <time dateTime={answer.checkedAt}>{new Date(answer.checkedAt).toLocaleString()}</time>,
        )}
      </dl>
      {code ? <p className="text-std-18N-160">{tap("errorCode", { code })}</p> : null}
      {answer.result === "RECIPIENT_NOT_LINKED" ? linkNow : null}
      {back}
    </section>
  );
}
