"use client";

import { useTranslations } from "next-intl";
import { useCallback, useEffect, useRef, useState } from "react";
import { CardLoginError, type TCardChoice } from "@/app/_lib/card/card-agent-session";
import { Button } from "@/app/_components/ui/button";
import { Loading } from "@/app/_components/ui/spinner";
import type { TReceptionAnswerDto } from "@/lib/services/hospital/schemas";
import { HospitalReceptionResult } from "./hospital-reception-result";
import { TerminalLinkClient } from "./terminal-link-client";
import { consentWithCard, type TLinkConsent } from "./terminal-link-flow";
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
const KNOWN_ERRORS = new Set([
  "CARD_UNKNOWN",
  "CREDENTIAL_MODE_MISMATCH",
  "CERT_REVOKED",
  "CERT_EXPIRED",
  "CHALLENGE_REPLAYED",
  "CHALLENGE_EXPIRED",
  "CHALLENGE_UNKNOWN",
  "PIN_INCORRECT",
  "PIN_LOCKED",
  "PIN_CANCELLED",
  "AGENT_NOT_RUNNING",
  "NO_CARD",
  "TERMINAL_NOT_ENROLLED",
  "TERMINAL_DISABLED",
]);

/** `?agent=127.0.0.1:31338` for a card reader agent on another port (loopback only). */
function agentAddressFromLocation(): string | undefined {
  const v = new URLSearchParams(window.location.search).get("agent");
  return v && /^(127\.0\.0\.1|localhost):\d{2,5}$/.test(v) ? v : undefined;
}

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
  const [left, setLeft] = useState(resetSeconds);
  const heading = useRef<HTMLElement | null>(null);
  const pending = useRef<((v: string) => void) | null>(null);
  const stateKey =
    state.kind === "step" ? state.step.kind : state.kind === "error" ? `error-${state.code}` : state.kind;

  // biome-ignore lint/correctness/useExhaustiveDependencies: focus moves only when the screen changes.
  useEffect(() => {
    heading.current?.focus();
  }, [stateKey]);

  // Auto return: a kiosk must not leave one person's result on screen for the next.
  useEffect(() => {
    if (state.kind !== "result" && state.kind !== "reception" && state.kind !== "error") return;
    setLeft(resetSeconds);
    const started = Date.now();
    const timer = setInterval(() => {
      const remaining = resetSeconds - Math.floor((Date.now() - started) / 1000);
      if (remaining <= 0) {
        clearInterval(timer);
        setState({ kind: "ready" });
      } else setLeft(remaining);
    }, 250);
    return () => clearInterval(timer);
  }, [state, resetSeconds]);

  const start = useCallback(
    async (consent?: TLinkConsent) => {
      const options: TTapOptions = {
        agentAddress: agentAddressFromLocation(),
        onStep: (step) => setState({ kind: "step", step }),
        chooseCard: () =>
          new Promise<string>((resolve) => {
            pending.current = resolve;
          }),
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
    [mode],
  );

  const focusRef = (el: HTMLElement | null) => {
    heading.current = el;
  };
  const h = (text: string) => (
    <h2 ref={focusRef} tabIndex={-1} className="text-std-36B-140 focus:outline-none sm:text-dsp-48B-140">
      {text}
    </h2>
  );
  const backButton = (
    <div className="space-y-4">
      <p className="text-std-20N-150" data-testid="tap-returning">
        {t("returning", { seconds: left })}
      </p>
      <Button size="xl" variant="outline" onClick={() => setState({ kind: "ready" })} data-testid="tap-again">
        {t("again")}
      </Button>
    </div>
  );
  const frame = "flex flex-1 flex-col items-center justify-center gap-8 rounded-32 border-4 bg-white p-10 text-center";

  if (state.kind === "ready") {
    return (
      <section data-tap-state="ready" aria-labelledby="tap-start" className={`${frame} border-primary`}>
        <h2
          id="tap-start"
          ref={focusRef}
          tabIndex={-1}
          className="text-std-36B-140 focus:outline-none sm:text-dsp-48B-140"
        >
          {t(`${mode}.startTitle`)}
        </h2>
        <p className="text-std-24N-150">{t(`${mode}.startBody`)}</p>
        <Button size="xl" onClick={() => void start()} data-testid="tap-start" className="min-w-80">
          {t(`${mode}.startAction`)}
        </Button>
      </section>
    );
  }

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

  const linkNowButton = (
    <Button size="xl" onClick={() => setState({ kind: "link" })} data-testid="tap-link-now">
      {t("link.linkNow")}
    </Button>
  );

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
    const known = KNOWN_ERRORS.has(state.code) ? state.code : "GENERIC";
    const body =
      known === "PIN_INCORRECT" && state.triesLeft !== undefined
        ? t("error.PIN_INCORRECT.bodyTries", { triesLeft: state.triesLeft })
        : t(`error.${known}.body`);
    return (
      <section data-tap-state="error" data-error-code={state.code} className={`${frame} border-error`}>
        <div role="alert" className="space-y-6">
          {h(t(`error.${known}.title`))}
          <p className="text-std-24N-150">{body}</p>
          <p className="text-std-18N-160">{t("errorCode", { code: state.code })}</p>
        </div>
        {backButton}
      </section>
    );
  }

  const step = state.step;
  return (
    <section data-tap-state={step.kind} className={`${frame} border-primary`}>
      {h(t(`stepTitle.${step.kind}`))}
      {step.kind === "pairing" ? (
        <>
          <p className="text-std-24N-150">{t("pairingBody")}</p>
          <p>
            <span className="sr-only">{t("pairingCodeLabel")}: </span>
            <span className="font-mono text-dsp-48B-140 tracking-widest">{step.code}</span>
          </p>
        </>
      ) : null}
      {step.kind === "pin" ? <p className="text-std-24N-150">{t("pinBody")}</p> : null}
      {step.kind === "choose-card" ? (
        <ul className="grid w-full max-w-200 gap-4">
          {step.cards.map((c: TCardChoice) => (
            <li key={c.providerId}>
              <Button
                size="xl"
                variant="outline"
                className="w-full"
                onClick={() => {
                  pending.current?.(c.providerId);
                  pending.current = null;
                }}
                data-provider-id={c.providerId}
              >
                {c.name}
              </Button>
            </li>
          ))}
        </ul>
      ) : (
        <Loading label={t(`step.${step.kind}`)} size="lg" className="text-std-24B-150" />
      )}
    </section>
  );
}
