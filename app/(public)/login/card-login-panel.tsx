"use client";

import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useCallback, useEffect, useRef, useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { Notice } from "@/app/_components/ui/notice";
import { Loading } from "@/app/_components/ui/spinner";
import { agentAddressFromLocation } from "@/app/_lib/card/card-agent-session";
import { CardLoginError, type TCardChoice, type TLoginStep, runCardLogin } from "@/app/_lib/card/card-login-flow";

type TState =
  | { kind: "idle" }
  | { kind: "step"; step: TLoginStep }
  | { kind: "error"; code: string; triesLeft?: number };

/** Screens with their own copy; any other code shows the generic failure screen. */
const KNOWN_ERRORS = new Set([
  "AGENT_NOT_RUNNING",
  "AGENT_DISCONNECTED",
  "PAIRING_REJECTED",
  "NO_CARD",
  "CERT_NOT_FOUND",
  "SIGN_CERT_NOT_FOUND",
  "PIN_INCORRECT",
  "PIN_LOCKED",
  "PIN_CANCELLED",
  "CERT_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_REVOKED",
  "CERT_STATUS_UNKNOWN",
  "CERT_STATUS_UNAVAILABLE",
  "CERT_UNTRUSTED",
  "CERT_WRONG_PURPOSE",
  "CARD_UNKNOWN",
  "CARD_FACTS_MISMATCH",
  "CARD_BINDING_MISMATCH",
  "CHALLENGE_REPLAYED",
  "CHALLENGE_EXPIRED",
  "CHALLENGE_UNKNOWN",
  "ORIGIN_MISMATCH",
  "SIGNATURE_INVALID",
  "RATE_LIMITED",
]);

/**
 * The card-login screens: one heading per state, focused when the state changes so screen
 * readers announce it; errors are `role="alert"`. `data-login-state` / `data-error-code` are
 * stable hooks for the e2e tests.
 */
export function CardLoginPanel({ afterLogin = "/mailbox" }: { afterLogin?: string }) {
  const t = useTranslations("cardLogin");
  const [state, setState] = useState<TState>({ kind: "idle" });
  const heading = useRef<HTMLElement | null>(null);
  const pending = useRef<{ resolve: (v: string) => void; reject: (e: unknown) => void } | null>(null);
  const stateKey = state.kind === "step" ? state.step.kind : state.kind === "error" ? `error-${state.code}` : "idle";

  // biome-ignore lint/correctness/useExhaustiveDependencies: focus moves only when the screen changes.
  useEffect(() => {
    heading.current?.focus();
  }, [stateKey]);

  const start = useCallback(async () => {
    try {
      await runCardLogin({
        origin: window.location.origin,
        agentAddress: agentAddressFromLocation(),
        onStep: (step) => setState({ kind: "step", step }),
        chooseCard: () =>
          new Promise<string>((resolve, reject) => {
            pending.current = { resolve, reject };
          }),
        confirmConsent: () =>
          new Promise<void>((resolve, reject) => {
            pending.current = { resolve: () => resolve(), reject };
          }),
        signIn: async ({ token, nonce }) => {
          const res = await signIn("card", { token, nonce, redirect: false });
          if (res?.ok && !res.error) return null;
          return res?.error ?? "INTERNAL";
        },
      });
      window.location.assign(afterLogin);
    } catch (e) {
      if (e instanceof CardLoginError) setState({ kind: "error", code: e.code, triesLeft: e.triesLeft });
      else setState({ kind: "error", code: "INTERNAL" });
    }
  }, [afterLogin]);

  const answer = (value: string) => {
    pending.current?.resolve(value);
    pending.current = null;
  };
  const cancel = () => {
    pending.current?.reject(new CardLoginError("CANCELLED"));
    pending.current = null;
  };

  const h = (text: string) => (
    <h2
      ref={(el) => {
        heading.current = el;
      }}
      tabIndex={-1}
      className="text-std-24B-150 focus:outline-none"
    >
      {text}
    </h2>
  );

  if (state.kind === "idle") {
    return (
      <section data-login-state="idle" aria-labelledby="card-login-heading" className="space-y-4">
        <h2 id="card-login-heading" className="text-std-24B-150">
          {t("startTitle")}
        </h2>
        <p>{t("startBody")}</p>
        <ul className="list-disc space-y-1 pl-6">
          <li>{t("needCard")}</li>
          <li>{t("needPin")}</li>
          <li>{t("needAgent")}</li>
        </ul>
        <Button size="lg" onClick={() => void start()} data-testid="card-login-start">
          {t("startAction")}
        </Button>
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
      <section data-login-state="error" data-error-code={state.code} className="space-y-4">
        <div
          role="alert"
          tabIndex={-1}
          className="focus:outline-none"
          ref={(el) => {
            heading.current = el;
          }}
        >
          <Notice tone="error" title={t(`error.${known}.title`)}>
            <p>{body}</p>
            {known === "AGENT_NOT_RUNNING" ? (
              <ol className="mt-2 list-decimal space-y-1 pl-6">
                <li>{t("agentHelp.step1")}</li>
                <li>{t("agentHelp.step2")}</li>
                <li>{t("agentHelp.step3")}</li>
              </ol>
            ) : null}
            <p className="mt-2 text-std-16N-170">{t("errorCode", { code: state.code })}</p>
          </Notice>
        </div>
        <Button onClick={() => void start()} data-testid="card-login-retry">
          {t("retry")}
        </Button>
      </section>
    );
  }

  const step = state.step;
  switch (step.kind) {
    case "pairing":
      return (
        <section data-login-state="pairing" className="space-y-4">
          {h(t("pairingTitle"))}
          <p>{t("pairingBody")}</p>
          <p>
            <span className="sr-only">{t("pairingCodeLabel")}: </span>
            <span className="font-mono text-std-32B-150 tracking-widest" data-testid="pairing-code">
              {step.code}
            </span>
          </p>
          <Loading label={t("pairingWaiting")} />
        </section>
      );
    case "choose-card":
      return (
        <section data-login-state="choose-card" className="space-y-4">
          {h(t("chooseTitle"))}
          <ul className="space-y-2">
            {step.cards.map((c: TCardChoice) => (
              <li key={c.providerId}>
                <Button variant="outline" onClick={() => answer(c.providerId)} data-provider-id={c.providerId}>
                  {c.name}
                </Button>
              </li>
            ))}
          </ul>
        </section>
      );
    case "pin":
      return (
        <section data-login-state="pin" data-slot={step.slot} className="space-y-4">
          {h(step.slot === "auth" ? t("pinTitle") : t("signPinTitle"))}
          <p>{step.slot === "auth" ? t("pinBody") : t("signPinBody")}</p>
          <Loading label={t("pinWaiting")} />
        </section>
      );
    case "consent":
      return (
        <section data-login-state="consent" className="space-y-4">
          {h(t("consentTitle"))}
          <p>{t("consentBody")}</p>
          <blockquote className="rounded-8 border-l-4 border-primary bg-blue-50 p-4">{step.statement}</blockquote>
          <div className="flex gap-4">
            <Button onClick={() => answer("yes")} data-testid="consent-agree">
              {t("consentAgree")}
            </Button>
            <Button variant="outline" onClick={cancel}>
              {t("consentCancel")}
            </Button>
          </div>
        </section>
      );
    default:
      return (
        <section data-login-state={step.kind} className="space-y-4">
          {h(t(`stepTitle.${step.kind}`))}
          <Loading label={t(`stepBody.${step.kind}`)} />
        </section>
      );
  }
}
