"use client";

import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { CardLoginError, type TLoginStep, runCardLogin } from "@/app/_lib/card/card-login-flow";
import { agentAddressFromLocation } from "@/app/_lib/card/card-agent-session";

type TState =
  | { kind: "idle" }
  | { kind: "step"; step: TLoginStep }
  | { kind: "error"; code: string; triesLeft?: number };

const buttonClass =
  "flex min-h-32 items-center justify-center rounded-24 border-4 border-white bg-solid-gray-900 px-12 text-center text-tv-body font-bold text-white";

/**
 * The TV's card login: the same flow and the same card agent as the portal's /login
 * (card-login-flow.ts), started with OK on 「カードでログイン」. The PIN is typed on the agent's own
 * screen (its 10-foot mode, card-agent/README.md), never here; the session is signed in with
 * channel "tv". A card's first login (linking it signs with the signing password, which a remote
 * cannot type) is refused with a pointer to the computer or phone.
 */
export function TvLoginClient() {
  const t = useTranslations("tv");
  const [state, setState] = useState<TState>({ kind: "idle" });
  const focusRef = useRef<HTMLButtonElement | null>(null);
  const pending = useRef<((id: string) => void) | null>(null);
  const stateKey = state.kind === "step" ? state.step.kind : state.kind;

  // biome-ignore lint/correctness/useExhaustiveDependencies: focus moves only when the screen changes.
  useEffect(() => {
    focusRef.current?.focus();
  }, [stateKey]);

  const start = async () => {
    try {
      await runCardLogin({
        origin: window.location.origin,
        agentAddress: agentAddressFromLocation(),
        onStep: (step) => setState({ kind: "step", step }),
        chooseCard: () =>
          new Promise<string>((resolve) => {
            pending.current = resolve;
          }),
        confirmConsent: () => Promise.reject(new CardLoginError("CARD_UNKNOWN")),
        signIn: async ({ token, nonce }) => {
          const res = await signIn("card", { token, nonce, channel: "tv", redirect: false });
          if (res?.ok && !res.error) return null;
          return res?.error ?? "INTERNAL";
        },
      });
      window.location.assign("/tv");
    } catch (e) {
      if (e instanceof CardLoginError) setState({ kind: "error", code: e.code, triesLeft: e.triesLeft });
      else setState({ kind: "error", code: "INTERNAL" });
    }
  };

  if (state.kind === "idle" || state.kind === "error") {
    const error =
      state.kind !== "error"
        ? null
        : state.code === "CARD_UNKNOWN"
          ? t("loginErrorFirstTime")
          : state.code === "PIN_INCORRECT"
            ? state.triesLeft !== undefined
              ? t("loginErrorPinTries", { triesLeft: state.triesLeft })
              : t("loginErrorPin")
            : t("loginErrorBody");
    return (
      <section data-tv-login={state.kind} className="space-y-8">
        {state.kind === "error" ? (
          <div role="alert" data-error-code={state.code} className="rounded-24 border-4 border-yellow-300 p-8">
            <p className="text-tv-title font-bold">{t("loginErrorTitle")}</p>
            <p className="mt-4 text-tv-body">{error}</p>
            <p className="mt-2 text-std-24B-150">{t("loginErrorCode", { code: state.code })}</p>
          </div>
        ) : null}
        <button
          ref={focusRef}
          type="button"
          data-tv-nav=""
          data-tv-autofocus=""
          data-testid="tv-card-login"
          className={buttonClass}
          onClick={() => void start()}
        >
          {state.kind === "error" ? t("retry") : t("loginAction")}
        </button>
        <p className="text-tv-body">{t("loginPinNote")}</p>
      </section>
    );
  }

  const step = state.step;
  return (
    <section data-tv-login={step.kind} aria-live="polite" className="space-y-8">
      <p className="text-tv-title font-bold">{t(`loginStep.${step.kind}`)}</p>
      {step.kind === "pairing" ? (
        <p>
          <span className="text-tv-body">{t("pairingCode")}：</span>
          <span className="font-mono text-[6rem] font-bold tracking-[0.3em]" data-testid="tv-pairing-code">
            {step.code}
          </span>
        </p>
      ) : null}
      {step.kind === "choose-card" ? (
        <ul className="grid gap-6">
          {step.cards.map((c, i) => (
            <li key={c.providerId}>
              <button
                ref={i === 0 ? focusRef : undefined}
                type="button"
                data-tv-nav=""
                data-tv-key={i < 9 ? String(i + 1) : undefined}
                data-provider-id={c.providerId}
                className={buttonClass}
                onClick={() => {
                  pending.current?.(c.providerId);
                  pending.current = null;
                }}
              >
                {i < 9 ? `${i + 1}  ` : ""}
                {c.name}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
