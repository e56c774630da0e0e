"use client";

import { useTranslations } from "next-intl";
import { useCallback, useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { ErrorText } from "@/app/_components/ui/error-text";
import { Label } from "@/app/_components/ui/label";
import { SupportText } from "@/app/_components/ui/support-text";
import { agentAddressFromLocation, CardLoginError } from "@/app/_lib/card/card-agent-session";
import { runBreakGlass, runConsciousRead, type TEmergencyHistoryView, type TEmergencyLineView } from "./emergency-flow";
import { TapStepScreen, useCardChooser, useScreenHeading } from "./tap-step-screens";
import { postJson, type TTapStep } from "./terminal-tap-flow";

const REASONS = ["UNCONSCIOUS", "CONFUSED", "CANNOT_SPEAK", "MINOR_ALONE", "OTHER"] as const;
/** Codes with their own sentence on the error screen; others show the generic one (code still shown). */
const KNOWN = new Set([
  "EMERGENCY_CONSENT_MISSING",
  "EMERGENCY_BREAK_GLASS_REFUSED",
  "EMERGENCY_REASON_REQUIRED",
  "EMERGENCY_BREAK_GLASS_EXPIRED",
  "EMERGENCY_SCOPE_MISSING",
  "EMERGENCY_CARD_UNKNOWN",
  "CERT_REVOKED",
]);
/** Card and agent errors keep the kiosk tap's copy (terminalTap.error.*). */
const TAP_ERRORS = new Set([
  "PIN_INCORRECT",
  "PIN_LOCKED",
  "PIN_CANCELLED",
  "AGENT_NOT_RUNNING",
  "NO_CARD",
  "CHALLENGE_EXPIRED",
  "CHALLENGE_REPLAYED",
  "CERT_EXPIRED",
]);

type TState =
  | { kind: "ready" }
  | { kind: "reason"; error: boolean }
  | { kind: "step"; step: TTapStep }
  | { kind: "result"; history: TEmergencyHistoryView }
  | { kind: "error"; code: string };

export type TEmergencyTerminalClientProps = { partnerName: string; terminalLabel: string };

/**
 * The emergency history kiosk: choose the path (the patient types the PIN, or break-glass with a
 * reason) → card → one screen readable under stress: allergies first in a red frame, then
 * medication, conditions, check-ups, contacts; each line says whether a hospital signed it or the
 * patient reported it. No auto return (a crew reads it on the way), but "Finish" clears it, and a
 * break-glass token lives only in this page's memory. `data-emergency-state` is the e2e hook.
 */
export function EmergencyTerminalClient({ partnerName, terminalLabel }: TEmergencyTerminalClientProps) {
  const t = useTranslations("emergencyTerminal");
  const tap = useTranslations("terminalTap");
  const [state, setState] = useState<TState>({ kind: "ready" });
  const [category, setCategory] = useState<string>("");
  const [reasonText, setReasonText] = useState("");
  const { chooseCard, pick } = useCardChooser();
  const stateKey = state.kind === "step" ? state.step.kind : state.kind;
  const { focusRef, h } = useScreenHeading(stateKey, "text-std-36B-140 focus:outline-none");

  const flow = {
    agentAddress: undefined as string | undefined,
    onStep: (step: TTapStep) => setState({ kind: "step", step }),
    chooseCard,
  };
  const run = useCallback(async (work: () => Promise<TEmergencyHistoryView>) => {
    try {
      setState({ kind: "result", history: await work() });
    } catch (e) {
      setState({ kind: "error", code: e instanceof CardLoginError ? e.code : "INTERNAL" });
    }
  }, []);
  const conscious = () => void run(() => runConsciousRead({ ...flow, agentAddress: agentAddressFromLocation() }));
  const breakGlass = (e: React.FormEvent) => {
    e.preventDefault();
    if (!category || [...reasonText.trim()].length < 4) {
      setState({ kind: "reason", error: true });
      return;
    }
    void run(() =>
      runBreakGlass({ ...flow, agentAddress: agentAddressFromLocation(), reasonCategory: category, reasonText }),
    );
  };
  const reread = (token: string) =>
    void run(async () => ({
      ...(await postJson<TEmergencyHistoryView>("/api/terminal/emergency/break-glass/reads", {
        accessToken: token,
      })),
      accessToken: token,
    }));
  const finish = () => {
    setCategory("");
    setReasonText("");
    setState({ kind: "ready" });
  };

  const frame = "flex flex-1 flex-col gap-8 rounded-32 border-4 bg-white p-8";

  if (state.kind === "ready") {
    return (
      <section data-emergency-state="ready" className={`${frame} items-center border-primary text-center`}>
        {h(t("startTitle"))}
        <p className="text-std-24N-150">{t("startBody")}</p>
        <div className="grid w-full max-w-200 gap-6">
          <Button size="xl" onClick={conscious} data-testid="emergency-conscious">
            {t("consciousAction")}
          </Button>
          <Button
            size="xl"
            variant="outline"
            onClick={() => setState({ kind: "reason", error: false })}
            data-testid="emergency-break-glass"
          >
            {t("breakGlassAction")}
          </Button>
        </div>
      </section>
    );
  }

  if (state.kind === "reason") {
    return (
      <section data-emergency-state="reason" className={`${frame} border-warning`}>
        {h(t("breakGlassTitle"))}
        <p className="text-std-20N-150">{t("breakGlassBody")}</p>
        <form onSubmit={breakGlass} noValidate className="space-y-6">
          {state.error ? (
            <ErrorText role="alert" id="reason-error">
              {t("reasonRequired")}
            </ErrorText>
          ) : null}
          <fieldset className="space-y-3" aria-describedby={state.error ? "reason-error" : undefined}>
            <legend className="text-std-22B-150">{t("reasonCategory")}</legend>
            <div className="grid gap-3 sm:grid-cols-2">
              {REASONS.map((r) => (
                <label
                  key={r}
                  className="flex min-h-16 cursor-pointer items-center gap-3 rounded-12 border-2 border-solid-gray-420 p-4 text-std-20B-150"
                >
                  <input
                    type="radio"
                    name="reasonCategory"
                    value={r}
                    checked={category === r}
                    onChange={() => setCategory(r)}
                    className="size-6"
                  />
                  {t(`reasons.${r}`)}
                </label>
              ))}
            </div>
          </fieldset>
          <div className="space-y-2">
            <Label htmlFor="reason-text" size="lg">
              {t("reasonText")}
            </Label>
            <SupportText id="reason-text-hint">{t("reasonTextHint")}</SupportText>
            <textarea
              id="reason-text"
              name="reasonText"
              value={reasonText}
              maxLength={500}
              rows={3}
              onChange={(e) => setReasonText(e.target.value)}
              aria-describedby={state.error ? "reason-text-hint reason-error" : "reason-text-hint"}
              aria-invalid={state.error && [...reasonText.trim()].length < 4 ? true : undefined}
              className="w-full rounded-8 border-2 border-solid-gray-600 p-4 text-std-20N-150"
            />
          </div>
          <div className="flex flex-wrap gap-4">
            <Button size="xl" type="submit" data-testid="emergency-break-glass-submit">
              {t("breakGlassSubmit")}
            </Button>
            <Button size="xl" variant="outline" onClick={finish}>
              {t("cancel")}
            </Button>
          </div>
        </form>
      </section>
    );
  }

  if (state.kind === "error") {
    const known = KNOWN.has(state.code);
    const tapKnown = TAP_ERRORS.has(state.code);
    return (
      <section data-emergency-state="error" data-error-code={state.code} className={`${frame} border-error`}>
        <div role="alert" className="space-y-4">
          {h(tapKnown ? tap(`error.${state.code}.title`) : t("errorTitle"))}
          <p className="text-std-24N-150">
            {known ? t(`errors.${state.code}`) : tapKnown ? tap(`error.${state.code}.body`) : t("errors.GENERIC")}
          </p>
          <p className="text-std-18N-160">{t("errorCode", { code: state.code })}</p>
        </div>
        <Button size="xl" variant="outline" onClick={finish} data-testid="emergency-finish">
          {t("finish")}
        </Button>
      </section>
    );
  }

  if (state.kind === "result") {
    return (
      <ResultView
        history={state.history}
        partnerName={partnerName}
        terminalLabel={terminalLabel}
        headingRef={focusRef}
        onFinish={finish}
        onReread={state.history.accessToken ? () => reread(state.history.accessToken!) : undefined}
      />
    );
  }

  return (
    <TapStepScreen
      step={state.step}
      heading={h}
      onPick={pick}
      className={`${frame} items-center border-primary text-center`}
      stateAttribute="data-emergency-state"
      pairingBody={false}
    />
  );
}

function ResultView({
  history,
  partnerName,
  terminalLabel,
  headingRef,
  onFinish,
  onReread,
}: {
  history: TEmergencyHistoryView;
  partnerName: string;
  terminalLabel: string;
  headingRef: (el: HTMLElement | null) => void;
  onFinish: () => void;
  onReread?: () => void;
}) {
  const t = useTranslations("emergencyTerminal");
  const breakGlass = history.access.mode === "break_glass";
  const source = (l: TEmergencyLineView) =>
    l.source.kind === "self"
      ? t("selfReported")
      : t("signedBy", { issuer: l.source.issuer, date: l.source.issuedOn ?? "" });
  const lines = (id: string, items: TEmergencyLineView[] | undefined, danger = false) => {
    const part = { allergies: "ALLERGIES", medications: "MEDICATION", conditions: "CONDITIONS", contacts: "CONTACTS" }[
      id
    ]!;
    return (
      <section
        aria-labelledby={`emergency-${id}-title`}
        data-testid={`emergency-${id}`}
        className={`rounded-16 border-4 p-6 ${danger ? "border-error bg-red-50" : "border-solid-gray-420"}`}
      >
        <h3 id={`emergency-${id}-title`} className="mb-4 text-std-28B-150">
          {t(`parts.${part}`)}
        </h3>
        {items === undefined ? (
          <p className="text-std-20N-150">{t("notShared")}</p>
        ) : items.length === 0 ? (
          <p className="text-std-24B-150">{t("none")}</p>
        ) : (
          <ul className="space-y-4">
            {items.map((l, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the list is a snapshot, never reordered.
              <li key={i} data-source={l.source.kind} data-severe={l.severe ? "true" : undefined}>
                <p className="text-std-32B-150">
                  {l.severe ? (
                    <span className="mr-3 rounded-8 bg-error px-2 text-std-24B-150 text-white">{t("severe")}</span>
                  ) : null}
                  <bdi>{l.text}</bdi>
                </p>
                {l.detail ? (
                  <p className="text-std-24N-150">
                    <bdi>{l.detail}</bdi>
                  </p>
                ) : null}
                <p className={`text-std-18N-160 ${l.source.kind === "self" ? "font-bold" : ""}`}>
                  <bdi>{source(l)}</bdi>
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>
    );
  };
  return (
    <section
      data-emergency-state="result"
      data-access-mode={history.access.mode}
      data-testid="emergency-result"
      className="flex flex-1 flex-col gap-6 rounded-32 border-4 border-primary bg-white p-6"
    >
      <div role="status" className={`rounded-16 p-4 text-std-22B-150 ${breakGlass ? "bg-yellow-50" : "bg-blue-50"}`}>
        {breakGlass
          ? t("breakGlassBanner", {
              reason: t(`reasons.${history.access.reasonCategory ?? "OTHER"}`),
              time: new Date(history.access.expiresAt ?? history.access.readAt).toLocaleTimeString(),
            })
          : t("consentBanner")}
      </div>
      <h2 ref={headingRef} tabIndex={-1} className="text-std-36B-140 focus:outline-none">
        {t("resultTitle")}
      </h2>
      <dl className="grid gap-x-6 gap-y-1 text-std-24N-150 sm:grid-cols-[auto_1fr]">
        <dt className="font-bold">{t("patient")}</dt>
        <dd className="text-std-32B-150" data-testid="emergency-patient">
          <bdi>{history.patient.name}</bdi>
        </dd>
        <dt className="font-bold">{t("kana")}</dt>
        <dd>
          <bdi>{history.patient.nameKana}</bdi>
        </dd>
        <dt className="font-bold">{t("dateOfBirth")}</dt>
        <dd>
          <time dateTime={history.patient.dateOfBirth}>{history.patient.dateOfBirth}</time>
        </dd>
        {history.patient.bloodType ? (
          <>
            <dt className="font-bold">{t("bloodType")}</dt>
            <dd>{history.patient.bloodType}</dd>
          </>
        ) : null}
      </dl>
      {lines("allergies", history.allergies, true)}
      {lines("medications", history.medications)}
      {lines("conditions", history.conditions)}
      {history.checkups ? (
        <section aria-labelledby="emergency-checkups-title" className="rounded-16 border-4 border-solid-gray-420 p-6">
          <h3 id="emergency-checkups-title" className="mb-4 text-std-28B-150">
            {t("parts.CHECKUPS")}
          </h3>
          {history.checkups.length === 0 ? (
            <p className="text-std-24B-150">{t("none")}</p>
          ) : (
            <ul className="space-y-4">
              {history.checkups.map((c) => (
                <li key={`${c.facility}-${c.checkedOn}`} className="text-std-20N-150">
                  <p className="text-std-24B-150">
                    <time dateTime={c.checkedOn}>{c.checkedOn}</time> <bdi>{c.facility}</bdi>
                  </p>
                  <p>
                    <bdi>{c.summary}</bdi>
                  </p>
                  <p>
                    <bdi>{c.items.map((i) => `${i.name} ${i.value}${i.unit ? ` ${i.unit}` : ""}`).join(" / ")}</bdi>
                  </p>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
      {lines("contacts", history.contacts)}
      <p className="text-std-18N-160">
        {partnerName} / {terminalLabel}
      </p>
      <div className="flex flex-wrap gap-4">
        {onReread ? (
          <Button size="xl" variant="outline" onClick={onReread} data-testid="emergency-reread">
            {t("reread")}
          </Button>
        ) : null}
        <Button size="xl" onClick={onFinish} data-testid="emergency-finish">
          {t("finish")}
        </Button>
      </div>
    </section>
  );
}
