"use client";

import { useTranslations } from "next-intl";
import { useCallback, useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { agentAddressFromLocation, CardLoginError } from "@/app/_lib/card/card-agent-session";
import type { TShelterCheckInAnswer, TShelterCheckOutAnswer } from "@/lib/disaster/shelters/schemas";
import {
  CARD_TAP_ERRORS,
  KIOSK_FRAME,
  KIOSK_HEADING,
  TapBackButton,
  TapErrorScreen,
  TapStepScreen,
  useAutoReturn,
  useCardChooser,
  useScreenHeading,
} from "../_components/tap-step-screens";
import { postJson, runTerminalTap, type TTapStep } from "../_components/terminal-tap-flow";

type TState =
  | { kind: "ready" }
  | { kind: "step"; step: TTapStep }
  | { kind: "checked-in"; answer: TShelterCheckInAnswer; companions: string[] }
  | { kind: "checked-out"; answer: TShelterCheckOutAnswer }
  | { kind: "error"; code: string; triesLeft?: number };

/** Codes with their own copy under terminalShelter.error.*; card errors use terminalTap's. */
const SHELTER_ERRORS: ReadonlySet<string> = new Set([
  "SHELTER_ALREADY_CHECKED_IN",
  "SHELTER_CLOSED",
  "SHELTER_NOT_CHECKED_IN",
  "SHELTER_NOT_FOUND",
  "SHELTER_COMPANION_NOT_ALLOWED",
]);
const KNOWN_CARD_ERRORS: ReadonlySet<string> = new Set([...CARD_TAP_ERRORS, "CREDENTIAL_MODE_MISMATCH"]);

function errorState(e: unknown): TState {
  return e instanceof CardLoginError
    ? { kind: "error", code: e.code, triesLeft: e.triesLeft }
    : { kind: "error", code: "INTERNAL" };
}

/**
 * The shelter reception kiosk (避難所受付): check in or out by card tap (the shared kiosk steps),
 * then "a household at a time": the other household members' names, each to tap their own card,
 * and for a child under 15 a button staff press after seeing the child (checked in without a card).
 * `data-shelter-state` and `data-error-code` are the e2e hooks.
 */
export function ShelterTapClient({
  partnerName,
  terminalLabel,
  resetSeconds,
  locale,
}: {
  partnerName: string;
  terminalLabel: string;
  resetSeconds: number;
  locale: "ja" | "en";
}) {
  const t = useTranslations("terminalShelter");
  const [state, setState] = useState<TState>({ kind: "ready" });
  const { chooseCard, pick } = useCardChooser();
  const stateKey =
    state.kind === "step" ? state.step.kind : state.kind === "error" ? `error-${state.code}` : state.kind;
  const { focusRef, h } = useScreenHeading(stateKey);
  const left = useAutoReturn(
    state,
    state.kind === "checked-in" || state.kind === "checked-out" || state.kind === "error",
    // A household needs longer than one person.
    state.kind === "checked-in" && state.answer.household.length > 0 ? Math.max(resetSeconds, 60) : resetSeconds,
    () => setState({ kind: "ready" }),
  );

  const fail = (e: unknown) => setState(errorState(e));

  const tap = useCallback(
    async (action: "in" | "out" | "transfer") => {
      const options = {
        agentAddress: agentAddressFromLocation(),
        onStep: (step: TTapStep) => setState({ kind: "step", step }),
        chooseCard,
      };
      try {
        if (action === "out") {
          const answer = await runTerminalTap<TShelterCheckOutAnswer>({
            ...options,
            check: { url: "/api/terminal/shelter/check-outs" },
          });
          setState({ kind: "checked-out", answer });
        } else {
          const answer = await runTerminalTap<TShelterCheckInAnswer>({
            ...options,
            check: { url: "/api/terminal/shelter/check-ins", body: action === "transfer" ? { transfer: true } : {} },
          });
          setState({ kind: "checked-in", answer, companions: [] });
        }
      } catch (e) {
        setState(errorState(e));
      }
    },
    [chooseCard],
  );

  const confirmChild = async (answer: TShelterCheckInAnswer, companionId: string, done: string[]) => {
    try {
      await postJson<TShelterCheckInAnswer>("/api/terminal/shelter/companions", {
        checkInId: answer.checkInId,
        companionId,
      });
      setState({ kind: "checked-in", answer, companions: [...done, companionId] });
    } catch (e) {
      fail(e);
    }
  };

  const back = <TapBackButton left={left} onBack={() => setState({ kind: "ready" })} />;

  if (state.kind === "ready") {
    return (
      <section data-shelter-state="ready" aria-labelledby="shelter-start" className={`${KIOSK_FRAME} border-primary`}>
        <h2 id="shelter-start" ref={focusRef} tabIndex={-1} className={KIOSK_HEADING}>
          {t("startTitle")}
        </h2>
        <p className="text-std-24N-150">{t("startBody")}</p>
        <div className="flex flex-wrap justify-center gap-4">
          <Button size="xl" onClick={() => void tap("in")} data-testid="shelter-check-in" className="min-w-80">
            {t("checkInAction")}
          </Button>
          <Button size="xl" variant="outline" onClick={() => void tap("out")} data-testid="shelter-check-out">
            {t("checkOutAction")}
          </Button>
        </div>
      </section>
    );
  }

  if (state.kind === "checked-in") {
    const { answer, companions } = state;
    const shelterName = locale === "en" ? answer.shelter.nameEn : answer.shelter.name;
    return (
      <section
        data-shelter-state="checked-in"
        data-occupancy={answer.occupancy}
        className={`${KIOSK_FRAME} border-success`}
      >
        <div role="status" className="space-y-6">
          {h(t(answer.transferred ? "transferredTitle" : "checkedInTitle", { name: answer.name }))}
          <p className="text-std-24N-150">{t("checkedInBody", { shelter: shelterName })}</p>
        </div>
        {answer.overCapacity ? (
          <p
            role="alert"
            data-testid="shelter-over-capacity"
            className="rounded-8 border-2 border-warning p-4 text-std-20B-150"
          >
            {t("overCapacity", { occupancy: answer.occupancy, capacity: answer.capacity })}
          </p>
        ) : null}
        {answer.household.length > 0 ? (
          <div className="w-full max-w-200 space-y-4 text-left">
            <h3 className="text-std-24B-150">{t("householdTitle")}</h3>
            <p className="text-std-18N-160">{t("householdBody")}</p>
            <ul className="grid gap-3" data-testid="shelter-household">
              {answer.household.map((m) => {
                const done = m.companionId ? companions.includes(m.companionId) : false;
                return (
                  <li
                    key={`${m.name}-${m.companionId ?? ""}`}
                    className="flex flex-wrap items-center justify-between gap-3"
                  >
                    <bdi className="text-std-20B-150">{m.name}</bdi>
                    {m.companionId && !done ? (
                      <Button
                        size="lg"
                        variant="outline"
                        onClick={() => void confirmChild(answer, m.companionId as string, companions)}
                        data-testid="shelter-confirm-child"
                      >
                        {t("confirmChild")}
                      </Button>
                    ) : done ? (
                      <span className="text-std-18B-160">{t("childCheckedIn")}</span>
                    ) : null}
                  </li>
                );
              })}
            </ul>
            <Button size="xl" onClick={() => void tap("in")} data-testid="shelter-next-member">
              {t("nextMember")}
            </Button>
          </div>
        ) : null}
        <dl className="grid gap-x-6 gap-y-2 text-left text-std-20N-150 sm:grid-cols-[auto_1fr]">
          <dt className="font-bold">{t("partnerLabel")}</dt>
          <dd>{partnerName}</dd>
          <dt className="font-bold">{t("terminalLabel")}</dt>
          <dd>{terminalLabel}</dd>
          <dt className="font-bold">{t("checkedInAtLabel")}</dt>
          <dd>
            <time dateTime={answer.checkedInAt}>{new Date(answer.checkedInAt).toLocaleString(locale)}</time>
          </dd>
        </dl>
        {back}
      </section>
    );
  }

  if (state.kind === "checked-out") {
    return (
      <section data-shelter-state="checked-out" className={`${KIOSK_FRAME} border-success`}>
        <div role="status" className="space-y-6">
          {h(t("checkedOutTitle", { name: state.answer.name }))}
          <p className="text-std-24N-150">{t("checkedOutBody")}</p>
        </div>
        {back}
      </section>
    );
  }

  if (state.kind === "error") {
    if (SHELTER_ERRORS.has(state.code)) {
      return (
        <section data-shelter-state="error" data-error-code={state.code} className={`${KIOSK_FRAME} border-error`}>
          <div role="alert" className="space-y-6">
            {h(t(`error.${state.code}.title`))}
            <p className="text-std-24N-150">{t(`error.${state.code}.body`)}</p>
            <p className="text-std-18N-160">{t("errorCode", { code: state.code })}</p>
          </div>
          {state.code === "SHELTER_ALREADY_CHECKED_IN" ? (
            <Button size="xl" variant="outline" onClick={() => void tap("transfer")} data-testid="shelter-transfer">
              {t("transferAction")}
            </Button>
          ) : null}
          {back}
        </section>
      );
    }
    return (
      <div data-shelter-state="error" data-error-code={state.code} className="flex flex-1 flex-col">
        <TapErrorScreen
          code={state.code}
          triesLeft={state.triesLeft}
          known={KNOWN_CARD_ERRORS}
          heading={h}
          back={back}
        />
      </div>
    );
  }

  return (
    <div data-shelter-state={state.step.kind} className="flex flex-1 flex-col">
      <TapStepScreen step={state.step} heading={h} onPick={pick} />
    </div>
  );
}
