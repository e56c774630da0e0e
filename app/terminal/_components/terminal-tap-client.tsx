"use client";

import { useTranslations } from "next-intl";
import { useCallback, useState } from "react";
import { agentAddressFromLocation, CardLoginError } from "@/app/_lib/card/card-agent-session";
import { Button } from "@/app/_components/ui/button";
import type { TReceptionAnswerDto } from "@/lib/services/hospital/schemas";
import { HospitalReceptionResult } from "./hospital-reception-result";
import { TerminalLinkClient } from "./terminal-link-client";
import { consentWithCard, type TLinkConsent } from "./terminal-link-flow";
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
} from "./tap-step-screens";
import { runTerminalTap, type TTapOptions, type TTapResult, type TTapStep } from "./terminal-tap-flow";

type TState =
  | { kind: "ready" }
  | { kind: "step"; step: TTapStep }
  | { kind: "result"; result: TTapResult; linked?: boolean }
  | { kind: "reception"; answer: TReceptionAnswerDto }
  | { kind: "error"; code: string; triesLeft?: number }
  /** Link on first tap: staff enter the member number, the person reads and consents. */
  | { kind: "link" };

/** Error screens with their own copy; any other code shows the generic screen (code still shown). */
const KNOWN_ERRORS: ReadonlySet<string> = new Set([...CARD_TAP_ERRORS, "CREDENTIAL_MODE_MISMATCH"]);

export type TTerminalTapClientProps = {
  mode: "hospital" | "bus";
  partnerName: string;
  terminalLabel: string;
  /** Seconds a result or error stays before the kiosk returns to its start screen. */
  resetSeconds: number;
};

/**
 * The kiosk's card tap (資格確認): start → (pairing) → card → PIN at the agent → 確認中 → result
 * or error, then back to the start screen after `resetSeconds`. Each screen has one heading
 * that takes focus, progress is a polite status, results and errors are announced (role
 * status / alert). `data-tap-state` and `data-error-code` are stable hooks for e2e.
 */
export function TerminalTapClient({ mode, partnerName, terminalLabel, resetSeconds }: TTerminalTapClientProps) {
  const t = useTranslations("terminalTap");
  const [state, setState] = useState<TState>({ kind: "ready" });
  const { chooseCard, pick } = useCardChooser();
  const stateKey =
    state.kind === "step" ? state.step.kind : state.kind === "error" ? `error-${state.code}` : state.kind;
  const { focusRef, h } = useScreenHeading(stateKey);
  const left = useAutoReturn(
    state,
    state.kind === "result" || state.kind === "reception" || state.kind === "error",
    resetSeconds,
    () => setState({ kind: "ready" }),
  );

  const start = useCallback(
    async (consent?: TLinkConsent) => {
      const options: TTapOptions = {
        agentAddress: agentAddressFromLocation(),
        onStep: (step) => setState({ kind: "step", step }),
        chooseCard,
      };
      try {
        if (consent) {
          const linked = await consentWithCard(options, consent);
          setState({
            kind: "result",
            result: { eligible: true, member: linked.member, checkedAt: linked.checkedAt },
            linked: true,
          });
        } else if (mode === "hospital") {
          // The hospital kiosk asks its service (reception: patient + the insurer's answer).
          const answer = await runTerminalTap<TReceptionAnswerDto>({
            ...options,
            check: { url: "/api/terminal/hospital/receptions" },
          });
          setState({ kind: "reception", answer });
        } else setState({ kind: "result", result: await runTerminalTap(options) });
      } catch (e) {
        if (e instanceof CardLoginError) setState({ kind: "error", code: e.code, triesLeft: e.triesLeft });
        else setState({ kind: "error", code: "INTERNAL" });
      }
    },
    [mode, chooseCard],
  );

  const backButton = <TapBackButton left={left} onBack={() => setState({ kind: "ready" })} />;
  const frame = KIOSK_FRAME;

  if (state.kind === "ready") {
    return (
      <section data-tap-state="ready" aria-labelledby="tap-start" className={`${frame} border-primary`}>
        <h2 id="tap-start" ref={focusRef} tabIndex={-1} className={KIOSK_HEADING}>
          {t(`${mode}.startTitle`)}
        </h2>
        <p className="text-std-24N-150">{t(`${mode}.startBody`)}</p>
        <Button size="xl" onClick={() => void start()} data-testid="tap-start" className="min-w-80">
          {t(`${mode}.startAction`)}
        </Button>
      </section>
    );
  }

  const linkNowButton = (
    <Button size="xl" onClick={() => setState({ kind: "link" })} data-testid="tap-link-now">
      {t("link.linkNow")}
    </Button>
  );

  if (state.kind === "link") {
    return (
      <TerminalLinkClient
        mode={mode}
        partnerName={partnerName}
        onConsent={(consent) => void start(consent)}
        onCancel={() => setState({ kind: "ready" })}
      />
    );
  }

  if (state.kind === "reception") {
    return (
      <HospitalReceptionResult
        answer={state.answer}
        partnerName={partnerName}
        terminalLabel={terminalLabel}
        heading={h}
        back={backButton}
        frame={frame}
        linkNow={linkNowButton}
      />
    );
  }

  if (state.kind === "result") {
    const { result } = state;
    const ok = result.eligible;
    const code = result.reason ?? "RECIPIENT_NOT_LINKED";
    const title = state.linked
      ? t("link.linkedTitle")
      : ok
        ? t(`${mode}.eligibleTitle`)
        : code === "CARD_UNKNOWN"
          ? t("error.CARD_UNKNOWN.title")
          : t(`${mode}.notMemberTitle`);
    const body = state.linked
      ? t("link.linkedBody")
      : ok
        ? t(`${mode}.eligibleBody`)
        : code === "CARD_UNKNOWN"
          ? t("error.CARD_UNKNOWN.body")
          : t(`${mode}.notMemberBody`);
    return (
      <section
        data-tap-state="result"
        data-linked={state.linked ? "true" : undefined}
        data-eligible={ok ? "true" : "false"}
        data-error-code={ok ? undefined : code}
        className={`${frame} ${ok ? "border-success" : "border-error"}`}
      >
        <div role={ok ? "status" : "alert"} className="space-y-6">
          {h(title)}
          <p className="text-std-24N-150">{body}</p>
        </div>
        <dl className="grid gap-x-6 gap-y-2 text-left text-std-20N-150 sm:grid-cols-[auto_1fr]">
          {ok && result.member ? (
            <>
              <dt className="font-bold">{t(`${mode}.memberLabel`)}</dt>
              <dd className="font-mono text-std-28B-150" data-testid="tap-member-reference">
                {result.member.reference}
              </dd>
            </>
          ) : null}
          <dt className="font-bold">{t("partnerLabel")}</dt>
          <dd>{partnerName}</dd>
          <dt className="font-bold">{t("terminalLabel")}</dt>
          <dd>{terminalLabel}</dd>
          <dt className="font-bold">{t("checkedAtLabel")}</dt>
          <dd>
            <time dateTime={result.checkedAt}>{new Date(result.checkedAt).toLocaleString()}</time>
          </dd>
        </dl>
        {ok ? null : <p className="text-std-18N-160">{t("errorCode", { code })}</p>}
        {code === "RECIPIENT_NOT_LINKED" && !ok ? linkNowButton : null}
        {backButton}
      </section>
    );
  }

  if (state.kind === "error") {
    return (
      <TapErrorScreen
        code={state.code}
        triesLeft={state.triesLeft}
        known={KNOWN_ERRORS}
        heading={h}
        back={backButton}
      />
    );
  }

  return <TapStepScreen step={state.step} heading={h} onPick={pick} />;
}
